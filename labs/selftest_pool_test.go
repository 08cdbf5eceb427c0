package labs

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Heavy cases (several slots) and light ones share a pool: never more than
// the pool's slots in use, every taker served, no two heavy takers stuck on
// each other's half.
func TestEnvPoolWeights(t *testing.T) {
	p := newEnvPool(4)
	var inUse, peak atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		n := []int{1, 2, 4, 9}[i%4] // 9: more than the pool, taken as all of it
		wg.Add(1)
		go func() {
			defer wg.Done()
			release := p.take(n, i%3)
			w := int32(min(n, 4))
			now := inUse.Add(w)
			for old := peak.Load(); now > old && !peak.CompareAndSwap(old, now); old = peak.Load() {
			}
			time.Sleep(time.Millisecond)
			inUse.Add(-w)
			release()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("takers still waiting after 10 s: the pool deadlocked")
	}
	if peak.Load() > 4 {
		t.Errorf("%d slots in use at once, the pool has 4", peak.Load())
	}
}

// Once the pool is full, waiting cases are served highest priority first
// (the long ones), then in the order they came.
func TestEnvPoolServesLongCasesFirst(t *testing.T) {
	p := newEnvPool(1)
	hold := p.take(1, 0)
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	for i, c := range []struct {
		name     string
		priority int
	}{{"unsolved-a", 0}, {"wrong-a", 1}, {"solution-a", 2}, {"wrong-b", 1}, {"solution-b", 2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release := p.take(1, c.priority)
			mu.Lock()
			order = append(order, c.name)
			mu.Unlock()
			release()
		}()
		// Each taker queued before the next one comes: "first come" is defined.
		for deadline := time.Now().Add(5 * time.Second); ; {
			p.mu.Lock()
			n := p.waiting.Len()
			p.mu.Unlock()
			if n == i+1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("taker %s never queued", c.name)
			}
			time.Sleep(time.Millisecond)
		}
	}
	hold()
	wg.Wait()
	want := "[solution-a solution-b wrong-a wrong-b unsolved-a]"
	if fmt.Sprint(order) != want {
		t.Errorf("served %v, want %s", order, want)
	}
}

func TestWeightWaves(t *testing.T) {
	ids := []string{"a", "heavy2", "b", "heavy4", "c"}
	got := weightWaves(ids, map[string]int{"heavy2": 2, "heavy4": 4, "b": 1})
	want := [][]int{{3}, {1}, {0, 2, 4}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waves %v, want %v (heaviest alone first, the rest together)", got, want)
	}
}
