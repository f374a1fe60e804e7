package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// openSyncer opens this device's syncer on its saved target.
func (c *cli) openSyncer(s *data.Store, sess *data.Session) (*cpsync.Syncer, string, error) {
	url, err := s.Setting(c.ctx, cpsync.SettingTarget)
	if err != nil {
		return nil, "", err
	}
	if url == "" {
		return nil, "", data.Errorf(data.EINVALID, "no sync target: set one with \"connectpoint target set URL\"")
	}
	t, err := cpsync.OpenTarget(c.ctx, url)
	if err != nil {
		return nil, url, data.Errorf(data.EINVALID, "sync target %s: %v", url, err)
	}
	sy, err := cpsync.New(c.ctx, s, sess.DataKey(), t, cpsync.Options{Logger: c.opt.Logger})
	if errors.Is(err, cpsync.ErrNotSetUp) {
		return nil, url, data.Errorf(data.EINVALID, "%v", err)
	}
	return sy, url, err
}

// setUpSync saves the target and, on a device without sync keys, makes
// the network with this device as its first administrator device.
func (c *cli) setUpSync(sess *data.Session, url string) error {
	res, err := cpsync.SetUp(c.ctx, sess, url, "", cpsync.Options{Logger: c.opt.Logger})
	if err != nil {
		return err
	}
	if res.Made {
		fmt.Fprintln(c.stdout, "This device is the first of the program's sync network.")
	}
	fmt.Fprintf(c.stdout, "Sync target set: %s\n", url)
	if res.Unreachable != nil {
		fmt.Fprintf(c.stdout, "It cannot be reached now (%v); work goes on here and syncs when it can.\n", res.Unreachable)
	}
	return nil
}

func (c *cli) cmdTargetSet(args []string) error {
	if len(args) != 1 {
		return usagef("give the target: a folder path, file:///..., s3://bucket?endpoint=...&region=..., or azblob://...")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	return c.setUpSync(sess, args[0])
}

func (c *cli) cmdTargetShow(args []string) error {
	if len(args) > 0 {
		return usagef("target show takes no arguments")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	sy, url, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "target   %s\nnetwork  %s\ndevice   %s\n", url, sy.Network(), s.Device())
	for _, d := range sy.Devices().Devices {
		role := ""
		if d.Admin {
			role = " (administrator)"
		}
		fmt.Fprintf(c.stdout, "  device %s  %s%s\n", d.ID, d.Name, role)
	}
	return nil
}

func (c *cli) cmdSync(args []string) error {
	if len(args) > 0 {
		return usagef("sync takes no arguments")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	sy, url, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	res, err := sy.Round(c.ctx)
	fmt.Fprintf(c.stdout, "pushed %d, pulled %d, conflicts %d\n", res.Pushed, res.Pulled, res.Conflicts)
	if res.Notice != "" {
		fmt.Fprintln(c.stdout, res.Notice)
	}
	var re *cpsync.RoundError
	switch {
	case err == nil:
		return nil
	case cpsync.IsOffline(err):
		return data.Errorf(data.EINVALID, "the sync target %s cannot be reached; work goes on offline and syncs later (%v)", url, err)
	case errors.Is(err, cpsync.ErrRevoked):
		return data.Errorf(data.EINVALID, "%v: its work stays in this data folder, but it no longer syncs", err)
	case errors.As(err, &re):
		msgs := make([]string, len(re.Problems))
		for i, p := range re.Problems {
			msgs[i] = p.Error()
		}
		return data.Errorf(data.EINVALID, "%s", strings.Join(msgs, "; "))
	}
	return err
}

func (c *cli) cmdSyncStatus(args []string) error {
	if len(args) > 0 {
		return usagef("sync status takes no arguments")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	url, _ := s.Setting(c.ctx, cpsync.SettingTarget)
	if url == "" {
		fmt.Fprintln(c.stdout, "Sync is not set up on this device: connectpoint target set URL, or join with an enrolment file.")
		return nil
	}
	sy, _, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	pending, err := sy.Pending(c.ctx)
	if err != nil {
		return err
	}
	conflicts, err := s.ConflictCount(c.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "target %s\noperations waiting to be published: %d\nconflicts waiting: %d\n", url, pending, conflicts)
	return nil
}

// passphrase takes an enrolment passphrase from the environment, else asks.
func (c *cli) passphrase(confirm bool) (string, error) {
	if p := c.getenv("CONNECTPOINT_ENROLL_PASSPHRASE"); p != "" {
		return p, nil
	}
	p, err := c.ask("Enrolment passphrase: ", true)
	if err != nil {
		if errors.Is(err, errNoTerminal) {
			return "", data.Errorf(data.EINVALID, "no passphrase: set CONNECTPOINT_ENROLL_PASSPHRASE or run in a terminal")
		}
		return "", err
	}
	if confirm {
		again, err := c.ask("Again: ", true)
		if err != nil {
			return "", err
		}
		if again != p {
			return "", data.Errorf(data.EINVALID, "the two passphrases differ")
		}
	}
	return p, nil
}

func (c *cli) cmdEnroll(args []string) error {
	fs := flag.NewFlagSet("enroll", flag.ContinueOnError)
	out := fs.String("out", "", "")
	name := fs.String("device-name", "", "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out FILE is required: where to write the enrolment file")
	}
	if *name == "" {
		*name = "device " + strings.TrimSuffix(strings.TrimSuffix(*out, ".cpenroll"), ".json")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	if !sess.Can(data.ActDevices) {
		return data.Errorf(data.EFORBIDDEN, "only an administrator may enrol a device")
	}
	sy, _, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	pass, err := c.passphrase(true)
	if err != nil {
		return err
	}
	kdf := data.DefaultKDF
	if c.opt.KDF != nil {
		kdf = *c.opt.KDF
	}
	b, err := sy.Enroll(c.ctx, *name, pass, kdf)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*out, b); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Enrolment file for %q written to %s. Carry it to the new device with the passphrase told separately; there run: connectpoint --data DIR join %s\n", *name, *out, *out)
	// The new device finds only what is on the target: publish this
	// device's work (its users among it) now, so that people can log in
	// there right after joining.
	if _, err := sy.Round(c.ctx); err != nil {
		fmt.Fprintf(c.stderr, "connectpoint enroll: run \"connectpoint sync\" here before the new device joins: %v\n", err)
	}
	return nil
}

func (c *cli) cmdJoin(args []string) error {
	if len(args) != 1 {
		return usagef("give the enrolment file")
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return data.Errorf(data.EINVALID, "read %s: %v", args[0], err)
	}
	pass, err := c.passphrase(false)
	if err != nil {
		return err
	}
	s, _, res, err := cpsync.Join(c.ctx, c.dataDir, b, pass, cpsync.JoinOptions{Store: c.opt, Sync: cpsync.Options{Logger: c.opt.Logger}})
	if s != nil {
		defer s.Close()
	}
	if err != nil {
		if cpsync.IsOffline(err) {
			return data.Errorf(data.EINVALID, "joined, but the sync target cannot be reached yet: run \"connectpoint sync\" when it can (%v)", err)
		}
		return err
	}
	fmt.Fprintf(c.stdout, "This folder (%s) is now a device of the program: pulled %d operations. Log in with your usual user name and password.\n", c.dataDir, res.Pulled)
	return nil
}

// deviceJSON is one device as `device list --json` prints it.
type deviceJSON struct {
	ID           string `json:"id"`
	Short        string `json:"short"`
	Name         string `json:"name"`
	Admin        bool   `json:"admin"`
	Revoked      bool   `json:"revoked"`
	RevokedAfter int64  `json:"revoked_after,omitempty"`
	ThisDevice   bool   `json:"this_device"`
}

func (c *cli) cmdDeviceList(args []string) error {
	fs := flag.NewFlagSet("device list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	if !sess.Can(data.ActDevices) {
		return data.Errorf(data.EFORBIDDEN, "only an administrator may list the devices")
	}
	sy, _, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	var out []deviceJSON
	for _, d := range sy.Devices().Devices {
		out = append(out, deviceJSON{ID: d.ID, Short: data.ShortID(d.ID), Name: d.Name, Admin: d.Admin,
			Revoked: d.Revoked, RevokedAfter: d.RevokedAfter, ThisDevice: d.ID == s.Device()})
	}
	if *asJSON {
		return c.printJSON(out)
	}
	for _, d := range out {
		role, state, here := "device", "active", ""
		if d.Admin {
			role = "administrator's device"
		}
		if d.Revoked {
			state = "removed"
		}
		if d.ThisDevice {
			here = "  (this device)"
		}
		fmt.Fprintf(c.stdout, "%-6s  %-24s  %-22s  %s%s\n", d.Short, d.Name, role, state, here)
	}
	return nil
}

// cmdDeviceRevoke removes a device from the network (a lost or stolen
// laptop). A round runs first, so that the device's last good operations
// are applied here and stay accepted everywhere.
func (c *cli) cmdDeviceRevoke(args []string) error {
	if len(args) != 1 {
		return usagef("give the device: its ID or the six characters device list shows")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	if !sess.Can(data.ActDevices) {
		return data.Errorf(data.EFORBIDDEN, "only an administrator may remove a device")
	}
	sy, url, err := c.openSyncer(s, sess)
	if err != nil {
		return err
	}
	dev, err := findDevice(sy.Devices(), args[0])
	if err != nil {
		return err
	}
	if _, err := sy.Round(c.ctx); cpsync.IsOffline(err) {
		return data.Errorf(data.EINVALID, "the sync target %s cannot be reached, and removing a device needs it: try again when it can (%v)", url, err)
	} else if errors.Is(err, cpsync.ErrRevoked) {
		return data.Errorf(data.EINVALID, "%v", err)
	} else if err != nil {
		fmt.Fprintf(c.stderr, "connectpoint device revoke: the sync before it reported: %v\n", err)
	}
	if err := sy.Revoke(c.ctx, dev.ID); err != nil {
		if cpsync.IsOffline(err) {
			return data.Errorf(data.EINVALID, "the sync target %s cannot be reached, and removing a device needs it: try again when it can (%v)", url, err)
		}
		return err
	}
	list := sy.Devices()
	after, _ := list.Device(dev.ID)
	fmt.Fprintf(c.stdout, "Device %s (%s) is removed from the network. Its operations up to %d are kept; whatever it writes from now on is refused.\n"+
		"A new network key has gone to the other devices, which take it at their next sync.\n", data.ShortID(dev.ID), dev.Name, after.RevokedAfter)
	return nil
}

// findDevice finds a device of the list by its whole ID or the six
// characters lists show.
func findDevice(l cpsync.DeviceList, id string) (cpsync.DeviceEntry, error) {
	var found []cpsync.DeviceEntry
	for _, d := range l.Devices {
		if strings.EqualFold(d.ID, id) || (len(id) == 6 && strings.EqualFold(data.ShortID(d.ID), id)) {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 0:
		return cpsync.DeviceEntry{}, data.Errorf(data.ENOTFOUND, "no device %s in this network (connectpoint device list shows them)", id)
	case 1:
		return found[0], nil
	}
	return cpsync.DeviceEntry{}, data.Errorf(data.EINVALID, "%s names %d devices: give the whole ID (connectpoint device list --json)", id, len(found))
}
