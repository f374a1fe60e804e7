package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	stdsync "sync"
	"time"

	"connectpoint/data"
)

// Service is sync as the window runs it: the scheduler of the logged-in
// session, and what an administrator does in Settings → Sync (the target,
// the schedule, enrolling and removing devices). Enrolment and removal go
// through the syncer the scheduler runs, so that the device list they
// change is the one its rounds publish. Every administrative call checks
// the session's role through data, which audits a refusal.
type Service struct {
	opt ServiceOptions

	mu  stdsync.Mutex
	run *Running // the scheduler running now, nil when none
}

// ServiceOptions tune a Service. The zero value is what the app uses.
type ServiceOptions struct {
	Logger *slog.Logger
	// KDF derives the key of enrolment files from their passphrase
	// (default data.DefaultKDF; tests use a cheap one).
	KDF *data.KDFParams
	// DeviceName is the name this computer takes in a network it makes
	// (default: the computer's host name).
	DeviceName string
	// Scheduler tunes the rounds (Spec and OnChange are set per start).
	Scheduler SchedulerOptions
}

// NewService returns a service with no sync running.
func NewService(opt ServiceOptions) *Service {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	opt.Scheduler.Logger = opt.Logger
	return &Service{opt: opt}
}

// Running is a scheduler started by a Service.
type Running struct {
	*Scheduler
	sv    *Service
	store *data.Store
}

// Stop stops the scheduler after a last round (see Scheduler.Stop).
func (r *Running) Stop(ctx context.Context) {
	r.Scheduler.Stop(ctx)
	r.sv.mu.Lock()
	if r.sv.run == r {
		r.sv.run = nil
	}
	r.sv.mu.Unlock()
}

// Start opens this device's syncer on its saved target and starts the
// scheduler on its saved schedule (every 5 minutes unless changed), with a
// round now. It returns nil and no error on a device where sync is not set
// up. onChange is called from the scheduler's goroutines.
func (sv *Service) Start(ctx context.Context, store *data.Store, sess *data.Session, onChange func(Status)) (*Running, error) {
	sy, err := sv.open(ctx, store, sess)
	if sy == nil || err != nil {
		return nil, err
	}
	spec, err := store.Setting(ctx, SettingSchedule)
	if err != nil {
		return nil, err
	}
	opt := sv.opt.Scheduler
	opt.Spec, opt.OnChange = spec, onChange
	sc, err := NewScheduler(sy, opt)
	if err != nil {
		return nil, err
	}
	r := &Running{Scheduler: sc, sv: sv, store: store}
	sv.mu.Lock()
	sv.run = r
	sv.mu.Unlock()
	sc.Start()
	return r, nil
}

// open returns the syncer of the running scheduler when it is this
// store's, else a new one on the saved target; nil and no error when sync
// is not set up here.
func (sv *Service) open(ctx context.Context, store *data.Store, sess *data.Session) (*Syncer, error) {
	sv.mu.Lock()
	r := sv.run
	sv.mu.Unlock()
	if r != nil && r.store == store {
		return r.sy, nil
	}
	url, err := store.Setting(ctx, SettingTarget)
	if err != nil || url == "" {
		return nil, err
	}
	t, err := OpenTarget(ctx, url)
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "%v", err)
	}
	sy, err := New(ctx, store, sess.DataKey(), t, Options{Logger: sv.opt.Logger})
	if errors.Is(err, ErrNotSetUp) {
		return nil, nil
	}
	return sy, err
}

// Network is what Settings → Sync shows of this device and its network.
type Network struct {
	Target   string // the saved target URL, "" when none
	Schedule string // the saved schedule, "" for the default
	SetUp    bool   // this device made or joined a network
	ID       string // the network
	This     string // this device's ID
	Admin    bool   // this device may enrol and remove devices
	Devices  []DeviceInfo
}

// DeviceInfo is one device of the network as this device knows it.
type DeviceInfo struct {
	ID       string
	Name     string
	Admin    bool
	Revoked  bool
	Enrolled time.Time // zero when the list does not say
	// LastOp and LastAt are the newest operation of the device that this
	// device holds, and its time: when it was last heard from.
	LastOp int64
	LastAt time.Time
}

// Network returns this device's sync settings and the devices of its
// network. Only an administrator may read them.
func (sv *Service) Network(ctx context.Context, sess *data.Session) (Network, error) {
	var n Network
	if err := sess.Authorize(ctx, data.ActDevices); err != nil {
		return n, err
	}
	store := sess.Store()
	var err error
	if n.Target, err = store.Setting(ctx, SettingTarget); err != nil {
		return n, err
	}
	if n.Schedule, err = store.Setting(ctx, SettingSchedule); err != nil {
		return n, err
	}
	n.This = store.Device()
	sy, err := sv.open(ctx, store, sess)
	if sy == nil || err != nil {
		return n, err
	}
	sy.mu.Lock()
	list := *sy.devices
	sy.mu.Unlock()
	n.SetUp, n.ID = true, list.Network
	for _, d := range list.Devices {
		info := DeviceInfo{ID: d.ID, Name: d.Name, Admin: d.Admin, Revoked: d.Revoked}
		if t, err := time.Parse(time.RFC3339, d.Enrolled); err == nil {
			info.Enrolled = t
		}
		seq, hlc, err := store.LastOp(ctx, d.ID)
		if err != nil {
			return n, err
		}
		if seq > 0 {
			info.LastOp, info.LastAt = seq, hlc.Time()
		}
		if d.ID == n.This {
			n.Admin = d.Admin && !d.Revoked
		}
		n.Devices = append(n.Devices, info)
	}
	return n, nil
}

// CheckTarget says what is wrong with a target URL, the checks that
// SetTarget makes before it saves; nil when it can be saved.
func (sv *Service) CheckTarget(ctx context.Context, url string) error {
	t, err := OpenTarget(ctx, url)
	if err != nil {
		return data.Errorf(data.EINVALID, "%v", err)
	}
	return t.Close()
}

// SetUpResult is what setting a target did.
type SetUpResult struct {
	// Made: this device had no network and made one, as its first
	// administrator's device.
	Made bool
	// Unreachable is why the target cannot be reached now, nil when it
	// can. The target is saved all the same; rounds retry it.
	Unreachable error
}

// SetUp saves url as this device's sync target. On a device without sync
// keys it makes the program's network with this device as the first
// administrator's device, named deviceName (the computer's name when "").
// Only an administrator may; the change is on the audit trail.
func SetUp(ctx context.Context, sess *data.Session, url, deviceName string, opt Options) (SetUpResult, error) {
	var res SetUpResult
	if err := sess.Authorize(ctx, data.ActSync); err != nil {
		return res, err
	}
	url = strings.TrimSpace(url)
	t, err := OpenTarget(ctx, url)
	if err != nil {
		return res, data.Errorf(data.EINVALID, "%v", err)
	}
	defer t.Close()
	store := sess.Store()
	if err := store.SetSetting(ctx, SettingTarget, url); err != nil {
		return res, err
	}
	_, err = New(ctx, store, sess.DataKey(), t, opt)
	switch {
	case errors.Is(err, ErrNotSetUp):
		if deviceName == "" {
			deviceName, _ = os.Hostname()
		}
		if _, err := InitNetwork(ctx, sess, t, deviceName, opt); err != nil {
			return res, err
		}
		res.Made = true
	case err != nil:
		return res, err
	}
	if _, err := t.List(ctx, "devices/"); err != nil {
		res.Unreachable = err
	}
	detail := "target"
	if res.Made {
		detail = "target, new network"
	}
	return res, sess.RecordEvent(ctx, "sync.target", "", "", detail)
}

// SetTarget is SetUp for the window. The running scheduler goes on with
// the old target: the window stops it and starts sync again.
func (sv *Service) SetTarget(ctx context.Context, sess *data.Session, url string) (SetUpResult, error) {
	return SetUp(ctx, sess, url, sv.opt.DeviceName, Options{Logger: sv.opt.Logger})
}

// SetSchedule saves how often rounds run and applies it to the running
// scheduler at once.
func (sv *Service) SetSchedule(ctx context.Context, sess *data.Session, spec string) error {
	if err := sess.Authorize(ctx, data.ActSync); err != nil {
		return err
	}
	spec = strings.TrimSpace(spec)
	if _, err := ParseSchedule(spec); err != nil {
		return err
	}
	store := sess.Store()
	if err := store.SetSetting(ctx, SettingSchedule, spec); err != nil {
		return err
	}
	sv.mu.Lock()
	r := sv.run
	sv.mu.Unlock()
	if r != nil && r.store == store {
		if err := r.SetSpec(spec); err != nil {
			return err
		}
	}
	return sess.RecordEvent(ctx, "sync.schedule", "", "", "")
}

// Enroll adds a device named name to the network and returns its
// enrolment file, sealed with passphrase (see Syncer.Enroll).
func (sv *Service) Enroll(ctx context.Context, sess *data.Session, name, passphrase string) ([]byte, error) {
	if err := sess.Authorize(ctx, data.ActDevices); err != nil {
		return nil, err
	}
	sy, err := sv.open(ctx, sess.Store(), sess)
	if err != nil {
		return nil, err
	}
	if sy == nil {
		return nil, data.Errorf(data.EINVALID, "sync is not set up on this computer: set a sync target first")
	}
	kdf := data.DefaultKDF
	if sv.opt.KDF != nil {
		kdf = *sv.opt.KDF
	}
	b, id, err := sy.enroll(ctx, strings.TrimSpace(name), passphrase, kdf)
	if err != nil {
		return nil, err
	}
	return b, sess.RecordEvent(ctx, "device.enroll", data.EntDevice, id, "")
}

// Revoke removes a device from the network and starts a new network key
// (see Syncer.Revoke). It runs a round first, so that what the device
// published before it was lost is applied here and stays accepted.
func (sv *Service) Revoke(ctx context.Context, sess *data.Session, device string) error {
	if err := sess.Authorize(ctx, data.ActDevices); err != nil {
		return err
	}
	sy, err := sv.open(ctx, sess.Store(), sess)
	if err != nil {
		return err
	}
	if sy == nil {
		return data.Errorf(data.EINVALID, "sync is not set up on this computer")
	}
	if _, err := sy.Round(ctx); err != nil {
		if IsOffline(err) {
			return data.Errorf(data.EINVALID, "the sync target cannot be reached, so the device cannot be removed now: try again when it can (%v)", err)
		}
		sv.opt.Logger.Warn("round before removing a device", "err", err)
	}
	if err := sy.Revoke(ctx, device); err != nil {
		if IsOffline(err) {
			return data.Errorf(data.EINVALID, "the sync target cannot be reached, so the device cannot be removed now: try again when it can (%v)", err)
		}
		return fmt.Errorf("remove device: %w", err)
	}
	return sess.RecordEvent(ctx, "device.revoke", data.EntDevice, device, "")
}
