package gui

import (
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/robfig/cron/v3"

	"connectpoint/data"
)

// reminders watches the check-ins due for the logged-in user while the
// window is open: every minute, and at once when the session starts (so a
// laptop that slept or was offline catches up), it counts the check-ins
// due or overdue, shows the count on the Check-ins section and the
// dashboard and, when the count grows, sends a desktop notification that
// names a case number, never a person.
//
// The dashboard shows this count rather than counting itself: on a
// state-size program a count reads every placed case (seconds, and some
// 600 MB of garbage), which the dashboard would do on the UI thread each
// time it is opened.
type reminders struct {
	app  *App
	sess *data.Session
	cron *cron.Cron

	// Touched on the UI thread only: seen are the check-ins (case and day)
	// already announced; due and late the last count, once counted.
	seen      map[dueKey]bool
	counted   bool
	due, late int
}

// reminderSpec is how often the check-ins are counted.
const reminderSpec = "@every 1m"

// startReminders begins watching the check-ins of the user who just
// logged in, if their role follows up.
func (a *App) startReminders() {
	a.stopReminders()
	if a.sess == nil || !a.sess.Can(data.ActCheckIn) {
		return
	}
	r := &reminders{app: a, sess: a.sess, seen: map[dueKey]bool{}}
	logger := cronLogger{a.log}
	r.cron = cron.New(cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)), cron.WithLogger(logger))
	if _, err := r.cron.AddFunc(reminderSpec, r.run); err != nil {
		a.log.Error("schedule check-in reminders", "err", err)
		return
	}
	a.reminders = r
	r.cron.Start()
	a.background(r.run)
}

// stopReminders stops the watch (logout, window closed).
func (a *App) stopReminders() {
	if a.reminders != nil {
		a.reminders.cron.Stop()
		a.reminders = nil
	}
}

// run counts the check-ins due, away from the UI thread, and hands the
// result to it.
func (r *reminders) run() {
	now := r.app.now()
	due, err := r.sess.MyCheckIns(r.app.ctx(), now, 0)
	if err != nil {
		r.app.log.Error("count check-ins due", "err", err)
		return
	}
	fyne.Do(func() { r.apply(due) })
}

// dueKey names a check-in: its case and its day after placement.
type dueKey struct {
	caseID string
	day    int
}

// apply shows the count and announces new check-ins due.
func (r *reminders) apply(due []data.DueCheckIn) {
	a := r.app
	if a.reminders != r || a.shell == nil {
		return // the session ended meanwhile
	}
	var fresh []data.DueCheckIn
	n, late := 0, 0
	now := map[dueKey]bool{}
	for _, d := range due {
		if d.State != data.CheckInDue && d.State != data.CheckInOverdue {
			continue
		}
		n++
		if d.State == data.CheckInOverdue {
			late++
		}
		key := dueKey{d.CaseID, d.Day}
		now[key] = true
		if !r.seen[key] {
			fresh = append(fresh, d)
		}
	}
	r.seen = now
	r.counted, r.due, r.late = true, n, late
	a.shell.setBadge("checkins", n)
	if d := a.shell.dashboard(); d != nil {
		d.showCheckIns()
	}
	if len(fresh) == 0 {
		return
	}
	a.fa.SendNotification(reminderNotice(fresh))
}

// reminderNotice says which check-ins fell due, by case number only, and
// names at most noticeCases of them: a coordinator logging in may have
// thousands due across the agency.
func reminderNotice(fresh []data.DueCheckIn) *fyne.Notification {
	title := lang.L("Check-in due: case {{.Short}}", map[string]string{"Short": fresh[0].Short})
	if fresh[0].State == data.CheckInOverdue {
		title = lang.L("Check-in overdue: case {{.Short}}", map[string]string{"Short": fresh[0].Short})
	}
	if len(fresh) == 1 {
		return fyne.NewNotification(title, lang.L("Open ConnectPoint, then Check-ins."))
	}
	var shorts []string
	for _, d := range fresh[:min(len(fresh), noticeCases)] {
		shorts = append(shorts, d.Short)
	}
	title = lang.LocalizePlural("{{.Count}} check-ins due", len(fresh), map[string]int{"Count": len(fresh)})
	list := strings.Join(shorts, ", ")
	if more := len(fresh) - len(shorts); more > 0 {
		return fyne.NewNotification(title, lang.L("Cases {{.List}} and {{.More}} more. Open ConnectPoint, then Check-ins.",
			map[string]any{"List": list, "More": more}))
	}
	return fyne.NewNotification(title, lang.L("Cases {{.List}}. Open ConnectPoint, then Check-ins.", map[string]string{"List": list}))
}

// noticeCases is how many case numbers a reminder names.
const noticeCases = 5

// setBadge shows n after the title of section id (nothing when n is 0).
func (s *shell) setBadge(id string, n int) {
	for i := range s.sections {
		if s.sections[i].id == id && s.sections[i].badge != n {
			s.sections[i].badge = n
			s.nav.RefreshItem(i)
		}
	}
}

// navTitle is a section's title with its badge: "Check-ins (3)".
func navTitle(sec *section) string {
	if sec.badge > 0 {
		return lang.L("{{.Title}} ({{.Count}})", map[string]any{"Title": sec.title, "Count": sec.badge})
	}
	return sec.title
}

// cronLogger sends the scheduler's messages to the window's log.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("reminders: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("reminders: "+msg, append(kv, "err", err)...)
}

// dueSoon is the horizon of the check-ins list: what falls due this week.
const dueSoon = 7 * 24 * time.Hour
