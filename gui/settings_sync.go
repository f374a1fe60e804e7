package gui

import (
	"context"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/robfig/cron/v3"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// syncPane is Settings → Sync, for an administrator: where this computer
// meets the program's other computers (the target), how often it syncs,
// the devices of the network, enrolling a new one and removing a lost one.
// Everything that touches the target runs away from the window and comes
// back with fyne.Do: a share that is not there never freezes the screen.
type syncPane struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	state   *widget.Label // set up or not, in one sentence
	problem *widget.Label

	target      *field
	saveTarget  *widget.Button
	targetSaved *widget.Label
	schedule    *field
	scheduleOK  *widget.Label

	devicesBox *fyne.Container // hidden until this computer is in a network
	devices    *fyne.Container
	remove     map[string]*widget.Button // by device ID (tests)

	enrolForm  *fyne.Container
	enrolNote  *widget.Label // why this computer cannot enrol
	deviceName *field
	pass       *field
	again      *field
	enrolDone  *widget.Label

	net cpsync.Network
	// shown is what the target and schedule fields were last filled with:
	// a field that differs holds typing, which a reload leaves alone.
	shownTarget, shownSchedule string
	confirm                    *dialog.ConfirmDialog // the removal asked now (tests)
}

func newSyncPane(a *App, sess *data.Session) *syncPane {
	p := &syncPane{app: a, sess: sess, state: sentence(""), problem: problem(),
		targetSaved: notice(), scheduleOK: notice(), devices: container.NewVBox(),
		enrolNote: sentence(""), enrolDone: notice(), remove: map[string]*widget.Button{}}

	p.target = newField(lang.L("Sync target"), a.newEntry())
	p.target.entry.SetPlaceHolder(`\\server\share\ConnectPoint`)
	p.target.entry.OnSubmitted = func(string) { p.onSaveTarget() }
	p.saveTarget = widget.NewButton(lang.L("Save the target"), p.onSaveTarget)
	p.schedule = newField(lang.L("How often"), a.newEntry())
	p.schedule.entry.OnSubmitted = func(string) { p.onSaveSchedule() }

	keys := &formKeys{submit: p.onEnrol}
	p.deviceName = newField(lang.L("Name of the new device"), keys.wire(a.newEntry()))
	p.deviceName.entry.SetPlaceHolder(lang.L("for example: Tom's laptop"))
	p.pass = newField(lang.L("Passphrase"), keys.wire(a.newPasswordEntry()))
	p.again = newField(lang.L("The passphrase again"), keys.wire(a.newPasswordEntry()))
	enrol := widget.NewButtonWithIcon(lang.L("Save the enrolment file…"), theme.DocumentSaveIcon(), p.onEnrol)
	p.enrolForm = container.NewVBox(
		sentence(lang.L("A new laptop or PC joins with an enrolment file made here. Give it a name people recognise, and a passphrase of 8 characters or more that you will tell its user separately.")),
		container.NewHBox(column(260, p.deviceName.box), column(220, p.pass.box), column(220, p.again.box)),
		container.NewHBox(enrol))
	p.devicesBox = container.NewVBox(
		widget.NewSeparator(),
		subheading(lang.L("Devices of the network")),
		p.devices,
		widget.NewSeparator(),
		subheading(lang.L("Enrol a device")),
		p.enrolNote, p.enrolForm, p.enrolDone)
	p.devicesBox.Hide()

	p.view = container.NewVScroll(container.NewVBox(
		heading(lang.L("Sync")),
		p.state, p.problem,
		p.target.label,
		sentence(lang.L("A shared folder (a path such as \\\\server\\share\\ConnectPoint or /mnt/share/connectpoint), or object storage (s3://bucket?endpoint=…&region=…, azblob://container). Every computer of the program uses the same one.")),
		container.NewBorder(nil, nil, nil, p.saveTarget, p.target.entry),
		p.target.problem, p.targetSaved,
		p.schedule.label,
		sentence(lang.L("Besides at start, at exit and on “Sync now”. Write @every 5m, @every 30m or @hourly, or five cron fields such as */10 7-19 * * 1-5 (every 10 minutes, 7 a.m. to 7 p.m., Monday to Friday).")),
		container.NewHBox(column(260, p.schedule.entry), widget.NewButton(lang.L("Save how often"), p.onSaveSchedule)),
		p.schedule.problem, p.scheduleOK,
		p.devicesBox,
	))
	return p
}

// load reads the network away from the window and shows it.
func (p *syncPane) load() {
	a := p.app
	if a.syncSettings == nil {
		p.state.SetText(lang.L("This build of ConnectPoint has no sync."))
		return
	}
	a.background(func() {
		n, err := a.syncSettings.Network(context.Background(), p.sess)
		fyne.Do(func() { p.show(n, err) })
	})
}

func (p *syncPane) show(n cpsync.Network, err error) {
	if err != nil {
		say(p.problem, p.app.errorText(err))
		return
	}
	say(p.problem, "")
	p.net = n
	if p.target.entry.Text == p.shownTarget {
		p.target.entry.SetText(n.Target)
		p.shownTarget = n.Target
	}
	spec := n.Schedule
	if spec == "" {
		spec = cpsync.DefaultSchedule
	}
	if p.schedule.entry.Text == p.shownSchedule {
		p.schedule.entry.SetText(spec)
		p.shownSchedule = spec
	}
	switch {
	case n.Target == "" || !n.SetUp:
		p.state.SetText(lang.L("This computer does not sync yet: it keeps its work to itself. Type the program's sync target below and save it; if this is the program's first computer, that makes the sync network."))
	default:
		p.state.SetText(lang.L("This computer syncs with the program's other computers through the target below."))
	}
	p.devicesBox.Hidden = !n.SetUp
	p.showDevices()
	p.enrolForm.Hidden = !n.Admin
	p.enrolNote.Hidden = n.Admin
	p.enrolNote.SetText(lang.L("Devices are enrolled and removed on the network's administrator's device: the computer the network was made on."))
	p.view.Refresh()
}

// showDevices lists the devices, this computer first.
func (p *syncPane) showDevices() {
	p.devices.RemoveAll()
	p.remove = map[string]*widget.Button{}
	now := p.app.now()
	add := func(d cpsync.DeviceInfo) {
		name := widget.NewLabel(d.Name)
		name.TextStyle.Bold = true
		var facts []string
		if d.ID == p.net.This {
			facts = append(facts, lang.L("this computer"))
		}
		if d.Admin {
			facts = append(facts, lang.L("administrator's device"))
		}
		if d.Enrolled.IsZero() {
			facts = append(facts, lang.L("enrolment date not recorded"))
		} else {
			facts = append(facts, lang.L("enrolled {{.When}}", map[string]string{"When": timeText(d.Enrolled, now)}))
		}
		switch {
		case d.ID == p.net.This:
		case d.LastOp == 0:
			facts = append(facts, lang.L("nothing received from it yet"))
		default:
			facts = append(facts, lang.L("last change received {{.Ago}}", map[string]string{"Ago": agoWords(now.Sub(d.LastAt))}))
		}
		if d.Revoked {
			facts = append(facts, lang.L("removed: it cannot read what is written since"))
		}
		info := widget.NewLabel(joinDot(facts...))
		info.Wrapping = fyne.TextWrapWord
		var right fyne.CanvasObject
		if p.net.Admin && d.ID != p.net.This && !d.Revoked {
			b := widget.NewButtonWithIcon(lang.L("Remove…"), theme.DeleteIcon(), func() { p.onRemove(d) })
			p.remove[d.ID] = b
			right = b
		}
		p.devices.Add(container.NewBorder(nil, nil, column(220, name), right, info))
	}
	for _, d := range p.net.Devices {
		if d.ID == p.net.This {
			add(d)
		}
	}
	for _, d := range p.net.Devices {
		if d.ID != p.net.This {
			add(d)
		}
	}
}

// onSaveTarget saves the target: the same checks as `target set`, the
// reason beside the field when it is refused.
func (p *syncPane) onSaveTarget() {
	a := p.app
	url := strings.TrimSpace(p.target.entry.Text)
	say(p.targetSaved, "")
	if url == "" {
		p.target.setProblem(lang.L("Type a folder path or a storage address."))
		return
	}
	if a.syncSettings == nil {
		return
	}
	p.target.setProblem("")
	p.saveTarget.Disable()
	say(p.targetSaved, lang.L("Saving…"))
	a.background(func() {
		res, err := a.syncSettings.SetTarget(context.Background(), p.sess, url)
		fyne.Do(func() { p.onTargetSaved(url, res, err) })
	})
}

func (p *syncPane) onTargetSaved(url string, res cpsync.SetUpResult, err error) {
	p.saveTarget.Enable()
	if err != nil {
		say(p.targetSaved, "")
		p.target.setProblem(p.app.errorText(err))
		return
	}
	text := lang.L("Saved.")
	if res.Made {
		text += " " + lang.L("This computer is the first of the program's sync network: enrol the others below.")
	}
	if res.Unreachable != nil {
		text += " " + (lang.L("It cannot be reached now ({{.Why}}); work goes on here and syncs when it can.", map[string]string{"Why": res.Unreachable.Error()}))
	}
	say(p.targetSaved, text)
	p.shownTarget = url
	p.app.restartSync()
	p.load()
}

// onSaveSchedule checks the spec with the scheduler's own parser and
// applies it to the running sync.
func (p *syncPane) onSaveSchedule() {
	a := p.app
	spec := strings.TrimSpace(p.schedule.entry.Text)
	if spec == "" {
		spec = cpsync.DefaultSchedule
	}
	say(p.scheduleOK, "")
	if _, err := cron.ParseStandard(spec); err != nil {
		p.schedule.setProblem(lang.L("Not a schedule ({{.Why}}). Write @every 5m, @hourly, or five fields such as */10 * * * *.", map[string]string{"Why": err.Error()}))
		return
	}
	p.schedule.setProblem("")
	if a.syncSettings == nil {
		return
	}
	a.background(func() {
		err := a.syncSettings.SetSchedule(context.Background(), p.sess, spec)
		fyne.Do(func() {
			if err != nil {
				p.schedule.setProblem(a.errorText(err))
				return
			}
			p.schedule.entry.SetText(spec)
			p.shownSchedule = spec
			say(p.scheduleOK, lang.L("Saved: {{.Spec}}. It applies now.", map[string]string{"Spec": spec}))
		})
	})
}

// onEnrol checks the form and asks where to save the enrolment file.
func (p *syncPane) onEnrol() {
	if !p.checkEnrol() {
		return
	}
	name := strings.TrimSpace(p.deviceName.entry.Text)
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			say(p.problem, p.app.errorText(err))
			return
		}
		if w != nil {
			p.enrolTo(w)
		}
	}, p.app.win)
	d.SetFileName("connectpoint-" + fileSlug(name) + ".cpenroll")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".cpenroll"}))
	d.Show()
}

// checkEnrol says beside each field of the enrolment form what is wrong.
func (p *syncPane) checkEnrol() bool {
	name := strings.TrimSpace(p.deviceName.entry.Text)
	say(p.enrolDone, "")
	ok := true
	need := func(f *field, bad bool, problem string) {
		if !bad {
			problem = ""
		}
		f.setProblem(problem)
		ok = ok && !bad
	}
	short := len([]rune(p.pass.entry.Text)) < data.MinPasswordLength
	need(p.deviceName, name == "", lang.L("Give the device a name."))
	need(p.pass, short, lang.L("Use 8 characters or more."))
	need(p.again, !short && p.again.entry.Text != p.pass.entry.Text, lang.L("The two passphrases differ."))
	return ok
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// fileSlug makes a device name fit in a file name: "Ana's laptop" →
// "ana-s-laptop".
func fileSlug(name string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "device"
	}
	return s
}

// enrolTo enrols the device and writes its file to w, away from the
// window (the passphrase's key takes a second to derive).
func (p *syncPane) enrolTo(w fyne.URIWriteCloser) {
	a := p.app
	name, pass := strings.TrimSpace(p.deviceName.entry.Text), p.pass.entry.Text
	say(p.enrolDone, lang.L("Making the enrolment file…"))
	a.background(func() {
		b, err := a.syncSettings.Enroll(context.Background(), p.sess, name, pass)
		if err == nil {
			_, err = w.Write(b)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			// No half-made file is left for someone to carry away.
			if derr := storage.Delete(w.URI()); derr != nil {
				a.log.Warn("remove a failed enrolment file", "err", derr)
			}
		}
		fyne.Do(func() { p.onEnrolled(name, w.URI(), err) })
	})
}

func (p *syncPane) onEnrolled(name string, uri fyne.URI, err error) {
	if err != nil {
		say(p.enrolDone, "")
		say(p.problem, p.app.errorText(err))
		return
	}
	say(p.problem, "")
	for _, f := range []*field{p.deviceName, p.pass, p.again} {
		f.entry.SetText("")
		f.setProblem("")
	}
	say(p.enrolDone, lang.L("The enrolment file of “{{.Name}}” is saved as {{.File}}. Carry it to the new computer (a USB stick will do) and tell its user the passphrase separately, by phone or in person, never with the file. There, run: connectpoint join {{.File}}, then log in with the usual user name and password. Delete the file once it has joined.",
		map[string]string{"Name": name, "File": uri.Name()}))
	p.load()
}

// onRemove asks before removing a device, saying what removing does.
func (p *syncPane) onRemove(d cpsync.DeviceInfo) {
	msg := lang.L("“{{.Name}}” will not be able to read anything written after now: the network's key changes, and the other devices take the new key at their next sync. What it sent before stays. This cannot be undone; to use that computer again, enrol it anew. Do this for a lost or stolen laptop, or one that leaves the program.",
		map[string]string{"Name": d.Name})
	p.confirm = dialog.NewConfirm(lang.L("Remove this device?"), msg, func(ok bool) {
		p.confirm = nil
		if ok {
			p.removeDevice(d)
		}
	}, p.app.win)
	p.confirm.SetConfirmText(lang.L("Remove the device"))
	p.confirm.SetDismissText(lang.L("Keep it"))
	p.confirm.Resize(fyne.NewSize(520, 0))
	p.confirm.Show()
}

func (p *syncPane) removeDevice(d cpsync.DeviceInfo) {
	a := p.app
	say(p.enrolDone, lang.L("Removing “{{.Name}}”…", map[string]string{"Name": d.Name}))
	a.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err := a.syncSettings.Revoke(ctx, p.sess, d.ID)
		cancel()
		fyne.Do(func() {
			if err != nil {
				say(p.enrolDone, "")
				say(p.problem, a.errorText(err))
				return
			}
			say(p.problem, "")
			say(p.enrolDone, lang.L("“{{.Name}}” is removed, and the network has a new key.", map[string]string{"Name": d.Name}))
			p.load()
		})
	})
}
