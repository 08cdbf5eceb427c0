package classroom

import (
	"net/http"
	"net/url"
	"testing"
)

// A browser drops tabs and newlines from a Location before it resolves it,
// so "/\t/evil.example" is "//evil.example": another site.
func TestLoginNextStaysOnThisSite(t *testing.T) {
	ts := newTestServer(t, "")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cases := []struct{ name, next, want string }{
		{"local path", "/c/monday", "/c/monday"},
		{"scheme-relative", "//evil.example/", "/"},
		{"backslash", "/\\evil.example/", "/"},
		{"absolute", "https://evil.example/", "/"},
		{"tab", "/\t/evil.example/", "/"},
		{"newline", "/\n/evil.example/", "/"},
		{"carriage return", "/\r/evil.example/", "/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"token": {testToken}, "next": {tc.next}}
			resp, err := client.PostForm(ts.web.URL+"/login", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", resp.StatusCode)
			}
			if got := resp.Header.Get("Location"); got != tc.want {
				t.Errorf("Location %q, want %q", got, tc.want)
			}
		})
	}
}
