package labs

import (
	"container/heap"
	"sync"

	"github.com/opslab/opslab/labs/spec"
)

// envPool is the budget of test environments that SelfTestAll's cases share.
// A case takes one slot, or more when its lab measures latency and must not
// be graded on a machine crowded by other labs (SelfTestOptions.Weight).
//
// Waiting takers are served longest-expected first (casePriority), then in the
// order they came: with ~200 cases in one pool, a long case that happened to
// start last kept one or two slots busy while the rest of the machine idled.
type envPool struct {
	mu      sync.Mutex
	free    int
	size    int
	waiting takerQueue
	arrived int
}

func newEnvPool(n int) *envPool {
	n = max(n, 1)
	return &envPool{free: n, size: n}
}

// take blocks until n slots (at least 1, at most the pool) are held, and
// returns the function that gives them back. Takers with a higher priority
// are served first. The head of the queue is served whole before anyone
// behind it: two heavy takers never hold half of what each needs.
func (p *envPool) take(n, priority int) (release func()) {
	n = min(max(n, 1), p.size)
	p.mu.Lock()
	t := &taker{n: n, priority: priority, arrived: p.arrived, granted: make(chan struct{})}
	p.arrived++
	heap.Push(&p.waiting, t)
	p.grantLocked()
	p.mu.Unlock()
	<-t.granted
	return func() {
		p.mu.Lock()
		p.free += n
		p.grantLocked()
		p.mu.Unlock()
	}
}

func (p *envPool) grantLocked() {
	for p.waiting.Len() > 0 && p.waiting[0].n <= p.free {
		t := heap.Pop(&p.waiting).(*taker)
		p.free -= t.n
		close(t.granted)
	}
}

// casePriority orders a pool's waiting cases by how long they usually take:
// a correct answer is graded in full (and maybe repeatedly), a wrong one
// stops at its first failed required task, an unsolved lab fails at once. The
// short ones then fill the machine at the end of the run.
func casePriority(c spec.TestCase) int {
	switch {
	case c.Want == spec.WantFullMarks:
		return 2
	case c.Dir != "":
		return 1
	default:
		return 0
	}
}

type taker struct {
	n, priority, arrived int
	granted              chan struct{}
}

// takerQueue is a heap: highest priority first, then first come.
type takerQueue []*taker

func (q takerQueue) Len() int { return len(q) }
func (q takerQueue) Less(i, j int) bool {
	if q[i].priority != q[j].priority {
		return q[i].priority > q[j].priority
	}
	return q[i].arrived < q[j].arrived
}
func (q takerQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *takerQueue) Push(x any)   { *q = append(*q, x.(*taker)) }
func (q *takerQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	*q = old[:len(old)-1]
	return t
}
