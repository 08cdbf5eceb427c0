package labs

import "sync"

// envPool is the budget of test environments that SelfTestAll's cases share.
// A case takes one slot, or more when its lab measures latency and must not
// be graded on a machine crowded by other labs (SelfTestOptions.Weight).
type envPool struct {
	slots chan struct{}
	// One multi-slot taker at a time: two that each hold part of what they
	// need would wait for each other forever.
	multi sync.Mutex
}

func newEnvPool(n int) *envPool {
	return &envPool{slots: make(chan struct{}, max(n, 1))}
}

// take blocks until n slots (at least 1, at most the pool) are held, and
// returns the function that gives them back.
func (p *envPool) take(n int) (release func()) {
	n = min(max(n, 1), cap(p.slots))
	if n > 1 {
		p.multi.Lock()
		defer p.multi.Unlock()
	}
	for range n {
		p.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-p.slots
		}
	}
}
