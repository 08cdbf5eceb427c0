package labs

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/opslab/opslab/labs/spec"
)

// SelfTestRun is one lab's part of SelfTestAll.
type SelfTestRun struct {
	Lab   string
	Cases []SelfTestCase
	Err   error         // the lab could not be tested at all (bad definition, build failed)
	Took  time.Duration // from its first case's start to its last case's end
}

// SelfTestAll proves several labs. It builds every lab's images first, two labs
// at a time (one downloads packages while the other compiles), so that no build
// crowds a case that measures latency. Then all the labs' cases share one pool
// of `parallel` environments: the machine stays busy until the last case
// instead of idling while each lab waits for its slowest one.
func (r *Runtime) SelfTestAll(ctx context.Context, cat *spec.Catalog, ids []string, opt SelfTestOptions, parallel int, each func(SelfTestCase)) []SelfTestRun {
	if parallel < 1 {
		parallel = 1
	}
	runs := make([]SelfTestRun, len(ids))
	loaded := make([]*spec.Lab, len(ids))
	builds := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			builds <- struct{}{}
			defer func() { <-builds }()
			runs[i].Lab = id
			lab, err := cat.Load(id, nil)
			if err == nil {
				err = r.BuildImages(ctx, lab, false)
			}
			loaded[i], runs[i].Err = lab, err
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return runs
	}

	pool := newEnvPool(parallel)
	var mu sync.Mutex
	for _, wave := range weightWaves(ids, opt.WeightByLab) {
		for _, i := range wave {
			if runs[i].Err != nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				labOpt := opt
				if n, ok := opt.RepeatByLab[ids[i]]; ok {
					labOpt.Repeat = n
				}
				if n, ok := opt.WeightByLab[ids[i]]; ok {
					labOpt.Weight = n
				}
				cases, err := r.selfTestCases(ctx, cat, loaded[i], labOpt, pool, func(tc SelfTestCase) {
					if each != nil {
						mu.Lock()
						defer mu.Unlock()
						each(tc)
					}
				})
				runs[i].Cases, runs[i].Err, runs[i].Took = cases, err, span(cases)
			}()
		}
		wg.Wait()
	}
	return runs
}

// weightWaves orders the labs (indexes into ids) in waves that run one after
// another: first each lab that weighs more than one slot, heaviest first, on
// its own; then all the others together. A heavy case that had to wait for
// light ones to drain from the pool would hold its slots idle meanwhile.
func weightWaves(ids []string, weight map[string]int) [][]int {
	var heavy, light []int
	for i, id := range ids {
		if weight[id] > 1 {
			heavy = append(heavy, i)
		} else {
			light = append(light, i)
		}
	}
	slices.SortStableFunc(heavy, func(a, b int) int { return cmp.Compare(weight[ids[b]], weight[ids[a]]) })
	var waves [][]int
	for _, i := range heavy {
		waves = append(waves, []int{i})
	}
	return append(waves, light)
}

func span(cases []SelfTestCase) time.Duration {
	var first, last time.Time
	for _, tc := range cases {
		if first.IsZero() || tc.Started.Before(first) {
			first = tc.Started
		}
		if end := tc.Started.Add(tc.Duration); end.After(last) {
			last = end
		}
	}
	return last.Sub(first)
}
