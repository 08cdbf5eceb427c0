package localstate

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMembershipIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "class")
	if m, err := LoadMembership(dir); m != nil || err != nil {
		t.Fatalf("no membership yet: %v %v", m, err)
	}
	if err := SaveMembership(dir, &Membership{Server: "http://x", Token: "ol_secret", Learner: "Ada"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "membership.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("membership file mode %v, want 0600: it holds the learner's token", st.Mode().Perm())
	}
	m, err := LoadMembership(dir)
	if err != nil || m.Token != "ol_secret" {
		t.Fatalf("reload: %+v %v", m, err)
	}
	if err := RemoveMembership(dir); err != nil {
		t.Fatal(err)
	}
	if m, _ := LoadMembership(dir); m != nil {
		t.Error("membership still there after RemoveMembership")
	}
}

func TestSpoolKeepsOrderUntilDone(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewSpool(t.TempDir())
	s.Now = func() time.Time { clock = clock.Add(time.Millisecond); return clock }
	for _, id := range []string{"c", "a", "b"} {
		if err := s.Add(id, []byte(`{"id":"`+id+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	items, err := s.Pending()
	if err != nil || len(items) != 3 {
		t.Fatalf("pending: %v %v", items, err)
	}
	if got := string(items[0].Data) + string(items[1].Data) + string(items[2].Data); got != `{"id":"c"}{"id":"a"}{"id":"b"}` {
		t.Errorf("order %s, want the order they were added", got)
	}
	if err := s.Done(items[:2]); err != nil {
		t.Fatal(err)
	}
	if err := s.Reject(items[2:]); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(); n != 0 {
		t.Errorf("%d left after Done and Reject", n)
	}
	if s.Busy() {
		t.Error("busy before any lock")
	}
	release, ok := s.Lock()
	if !ok {
		t.Fatal("first lock refused")
	}
	if !s.Busy() {
		t.Error("not busy while locked")
	}
	if _, ok := s.Lock(); ok {
		t.Error("second lock granted while the first is held")
	}
	release()
	if _, ok := s.Lock(); !ok {
		t.Error("lock refused after release")
	}
}
