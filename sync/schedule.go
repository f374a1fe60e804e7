package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	stdsync "sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"connectpoint/data"
)

// State is what the sync status shows.
type State string

// The states of a scheduler.
const (
	StateSynced  State = "synced"  // the last round went through
	StateSyncing State = "syncing" // a round is running
	StateOffline State = "offline" // the target could not be reached; retrying with backoff
	StateError   State = "error"   // the last round failed for another reason (see LastError)
)

// Status is what the GUI and `sync status` show. It is a value: reading it
// never waits for a round.
type Status struct {
	State       State
	LastSuccess time.Time // end of the last round that went through
	LastAttempt time.Time
	LastError   string // a sentence for a person; "" after a good round
	NextRetry   time.Time
	Pending     int // own operations not yet published
	Conflicts   int // fields waiting for a person to choose
	Last        Result
}

// SchedulerOptions tune a Scheduler. The zero value is what the app uses.
type SchedulerOptions struct {
	// Spec is a robfig/cron spec for regular rounds; default "@every 5m".
	Spec string
	// OnChange is called, from the scheduler's goroutines, after every
	// change of status. The GUI wraps it in fyne.Do.
	OnChange func(Status)
	// MinBackoff and MaxBackoff bound the retries while offline (default
	// 15 s doubling up to 30 min).
	MinBackoff, MaxBackoff time.Duration
	// RoundTimeout bounds one round (default 5 min).
	RoundTimeout time.Duration
	Logger       *slog.Logger
}

// Scheduler runs a Syncer's rounds: on a cron spec, at start, at exit, on
// "Sync now", and with exponential backoff while the target is offline.
// Rounds never run concurrently and never block the caller.
type Scheduler struct {
	sy    *Syncer
	opt   SchedulerOptions
	cron  *cron.Cron
	entry cron.EntryID // the regular rounds (guarded by mu)
	log   *slog.Logger

	runMu    stdsync.Mutex // held while a round runs
	queued   atomic.Bool   // a RunNow is waiting for the running round
	wg       stdsync.WaitGroup
	ctx      context.Context
	cancel   context.CancelFunc
	mu       stdsync.Mutex // guards what follows; never held during a round
	status   Status
	backoff  time.Duration
	retry    *time.Timer
	stopping bool
}

// NewScheduler prepares a scheduler; Start starts it.
func NewScheduler(sy *Syncer, opt SchedulerOptions) (*Scheduler, error) {
	if opt.Spec == "" {
		opt.Spec = DefaultSchedule
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 15 * time.Second
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 30 * time.Minute
	}
	if opt.RoundTimeout <= 0 {
		opt.RoundTimeout = 5 * time.Minute
	}
	sc := &Scheduler{sy: sy, opt: opt, log: opt.Logger}
	if sc.log == nil {
		sc.log = slog.Default()
	}
	sc.ctx, sc.cancel = context.WithCancel(context.Background())
	cl := cronLogger{sc.log}
	sc.cron = cron.New(cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)), cron.WithLogger(cl))
	sched, err := ParseSchedule(opt.Spec)
	if err != nil {
		return nil, err
	}
	sc.entry = sc.cron.Schedule(sched, cron.FuncJob(sc.scheduled))
	sc.status.State = StateSynced
	if p, err := sy.Pending(sc.ctx); err == nil {
		sc.status.Pending = p
	}
	if c, err := sy.store.ConflictCount(sc.ctx); err == nil {
		sc.status.Conflicts = c
	}
	return sc, nil
}

// DefaultSchedule is how often rounds run when nobody chose otherwise.
const DefaultSchedule = "@every 5m"

// SettingSchedule is the device-local setting that holds the spec.
const SettingSchedule = "sync_schedule"

// ParseSchedule checks a robfig/cron spec as the scheduler reads it: five
// fields ("*/5 * * * *") or a descriptor ("@every 5m", "@hourly"). The
// error says what is wrong, for the person who typed it.
func ParseSchedule(spec string) (cron.Schedule, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "sync schedule %q: %v", spec, err)
	}
	return sched, nil
}

// SetSpec changes how often the regular rounds run, from now on, without
// stopping the scheduler or a round that is running.
func (sc *Scheduler) SetSpec(spec string) error {
	sched, err := ParseSchedule(spec)
	if err != nil {
		return err
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.cron.Remove(sc.entry)
	sc.entry = sc.cron.Schedule(sched, cron.FuncJob(sc.scheduled))
	sc.opt.Spec = spec
	return nil
}

// Spec returns the spec of the regular rounds.
func (sc *Scheduler) Spec() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.opt.Spec
}

// Start starts the schedule and runs a first round now.
func (sc *Scheduler) Start() {
	sc.cron.Start()
	sc.RunNow()
}

// RunNow asks for a round as soon as possible ("Sync now"), without
// waiting for it. While a round runs, one more is queued, not several.
func (sc *Scheduler) RunNow() {
	if !sc.queued.CompareAndSwap(false, true) {
		return
	}
	// wg.Add under mu, with the stopping check, so that Stop's Wait never
	// races a new round.
	sc.mu.Lock()
	if sc.stopping {
		sc.mu.Unlock()
		sc.queued.Store(false)
		return
	}
	sc.wg.Add(1)
	sc.mu.Unlock()
	go func() {
		defer sc.wg.Done()
		sc.runMu.Lock()
		sc.queued.Store(false)
		defer sc.runMu.Unlock()
		sc.round()
	}()
}

// scheduled is the cron job. While offline it leaves the retries to the
// backoff timer, and it skips when a round is already running.
func (sc *Scheduler) scheduled() {
	sc.mu.Lock()
	wait := sc.status.State == StateOffline && time.Now().Before(sc.status.NextRetry)
	sc.mu.Unlock()
	if wait || !sc.runMu.TryLock() {
		return
	}
	defer sc.runMu.Unlock()
	sc.round()
}

// Stop stops the schedule, waits for a running round, and runs a last one
// ("at exit") within ctx.
func (sc *Scheduler) Stop(ctx context.Context) {
	sc.mu.Lock()
	sc.stopping = true
	if sc.retry != nil {
		sc.retry.Stop()
	}
	sc.mu.Unlock()
	<-sc.cron.Stop().Done()
	sc.wg.Wait()
	sc.runMu.Lock()
	defer sc.runMu.Unlock()
	stop := context.AfterFunc(ctx, sc.cancel)
	defer stop()
	sc.round()
	sc.cancel()
}

// Status returns the current status.
func (sc *Scheduler) Status() Status {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.status
}

func (sc *Scheduler) update(f func(*Status)) {
	sc.mu.Lock()
	f(&sc.status)
	st := sc.status
	sc.mu.Unlock()
	if sc.opt.OnChange != nil {
		sc.opt.OnChange(st)
	}
}

// round runs one round (runMu held) and records how it went. A panic in
// the round is turned into an error status: the app goes on.
func (sc *Scheduler) round() {
	sc.update(func(s *Status) { s.State = StateSyncing; s.LastAttempt = time.Now() })
	ctx, cancel := context.WithTimeout(sc.ctx, sc.opt.RoundTimeout)
	defer cancel()
	res, err := func() (res Result, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("sync round panicked: %v", r)
			}
		}()
		return sc.sy.Round(ctx)
	}()
	if err != nil {
		// A failed round may stop before counting; count here.
		if p, perr := sc.sy.Pending(context.Background()); perr == nil {
			res.Pending = p
		}
		if c, cerr := sc.sy.store.ConflictCount(context.Background()); cerr == nil {
			res.Conflicts = c
		}
	}
	now := time.Now()
	sc.mu.Lock()
	var retryIn time.Duration
	switch {
	case err == nil:
		sc.backoff = 0
	case IsOffline(err) || errors.Is(err, context.DeadlineExceeded):
		if sc.backoff == 0 {
			sc.backoff = sc.opt.MinBackoff
		} else {
			sc.backoff = min(2*sc.backoff, sc.opt.MaxBackoff)
		}
		retryIn = sc.backoff
		if sc.retry != nil {
			sc.retry.Stop()
		}
		if !sc.stopping {
			sc.retry = time.AfterFunc(retryIn, sc.RunNow)
		}
	}
	sc.mu.Unlock()
	sc.update(func(s *Status) {
		s.Last, s.Pending, s.Conflicts = res, res.Pending, res.Conflicts
		switch {
		case err == nil:
			s.State, s.LastSuccess, s.LastError, s.NextRetry = StateSynced, now, "", time.Time{}
		case retryIn > 0:
			s.State, s.LastError, s.NextRetry = StateOffline, err.Error(), now.Add(retryIn)
		default:
			// Sync errors name files and devices, never a person: the
			// text can be shown as it is.
			s.State, s.LastError, s.NextRetry = StateError, err.Error(), time.Time{}
		}
	})
	if err != nil {
		sc.log.Warn("sync round failed", "err", err)
	}
}

// cronLogger sends cron's messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
