package data

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The domain types. Each maps onto an entity of schema.go through its `cp`
// tags; Validate says, in words a person can act on, what is wrong.

// Agency is a police department or partner organisation of the program.
type Agency struct {
	ID      string
	Name    string `cp:"name"`
	ZIP     string `cp:"zip"` // the station's ZIP, where distances are measured from
	Network string `cp:"network"`
}

// Validate checks the agency.
func (a *Agency) Validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return Errorf(EINVALID, "agency name: required")
	}
	if len(a.Name) > 200 {
		return Errorf(EINVALID, "agency name: at most 200 characters")
	}
	if a.ZIP != "" && !isZIP(a.ZIP) {
		return Errorf(EINVALID, "agency ZIP: use five digits, like 60540")
	}
	return nil
}

// Device is a PC or laptop of the program's network.
type Device struct {
	ID         string
	Name       string    `cp:"name"`
	Agency     string    `cp:"agency"`
	PublicKey  string    `cp:"public_key"`
	EnrolledAt time.Time `cp:"enrolled_at"`
	RevokedAt  time.Time `cp:"revoked_at"`
}

// Validate checks the device.
func (d *Device) Validate() error {
	if strings.TrimSpace(d.Name) == "" {
		return Errorf(EINVALID, "device name: required")
	}
	return nil
}

// User is someone who logs in.
type User struct {
	ID       string
	Username string `cp:"username"`
	Name     string `cp:"name"`
	Role     Role   `cp:"role"`
	Agency   string `cp:"agency"`
	Active   bool   `cp:"active"`
}

// Validate checks the user.
func (u *User) Validate() error {
	if !validUsername(u.Username) {
		return Errorf(EINVALID, "user name %q: use 2–40 letters, digits, dots, dashes or underscores", u.Username)
	}
	if !slices.Contains(Roles, u.Role) {
		return Errorf(EINVALID, "role %q: use one of %s", u.Role, joinRoles())
	}
	return nil
}

func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 40 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Person is someone who asked for help. Names, birth date, phone and address
// are sealed at rest.
type Person struct {
	ID       string
	First    string `cp:"first"`
	Last     string `cp:"last"`
	Alias    string `cp:"alias"`
	DOB      string `cp:"dob"` // YYYY-MM-DD
	Phone    string `cp:"phone"`
	Address  string `cp:"address"`
	Gender   string `cp:"gender"`
	Language string `cp:"language"`
	ZIP      string `cp:"zip"`
}

// Validate checks the person; now bounds the date of birth.
func (p *Person) Validate(now time.Time) error {
	if strings.TrimSpace(p.First) == "" && strings.TrimSpace(p.Alias) == "" {
		return Errorf(EINVALID, "name: give a first name or an alias")
	}
	for _, f := range []struct{ label, v string }{{"first name", p.First}, {"last name", p.Last}, {"alias", p.Alias}, {"address", p.Address}} {
		if len(f.v) > 200 {
			return Errorf(EINVALID, "%s: at most 200 characters", f.label)
		}
	}
	if p.DOB != "" {
		d, err := time.Parse(DateLayout, p.DOB)
		if err != nil {
			return Errorf(EINVALID, "date of birth: use a date like 03/14/1986")
		}
		if d.After(now) || d.Year() < 1900 {
			return Errorf(EINVALID, "date of birth: %s is not a possible date of birth", p.DOB)
		}
	}
	if p.Phone != "" {
		if _, err := NormalizePhone(p.Phone); err != nil {
			return err
		}
	}
	if p.Gender != "" && !slices.Contains(Genders, p.Gender) {
		return Errorf(EINVALID, "gender %q: use one of %s", p.Gender, strings.Join(Genders, ", "))
	}
	if p.ZIP != "" && !isZIP(p.ZIP) {
		return Errorf(EINVALID, "ZIP: use five digits, like 60540")
	}
	return nil
}

// Case is one request for help, from first contact to closing.
type Case struct {
	ID       string
	Person   string    `cp:"person"`
	Agency   string    `cp:"agency"`
	Channel  string    `cp:"channel"`
	Status   string    `cp:"status"`
	OpenedAt time.Time `cp:"opened_at"` // first contact: the clock starts here
	IntakeBy string    `cp:"intake_by"`

	Insurance  string   `cp:"insurance"`
	Payer      string   `cp:"payer"`
	Substances []string `cp:"substances"`

	Pregnant       bool `cp:"pregnant"`
	Veteran        bool `cp:"veteran"`
	MentalHealth   bool `cp:"mental_health"` // co-occurring mental illness
	WithdrawalRisk bool `cp:"withdrawal_risk"`
	HousingNeed    bool `cp:"housing_need"`

	// Eligibility screen: any of these sends the person elsewhere.
	Warrant          bool   `cp:"warrant"`
	DVCharge         bool   `cp:"dv_charge"`
	Danger           bool   `cp:"danger"`
	MedicalEmergency bool   `cp:"medical_emergency"`
	Eligible         string `cp:"eligible"` // "", "yes" or "no"

	Coach       string    `cp:"coach"`
	Level       string    `cp:"level"`        // ASAM level of care
	ASAMEdition string    `cp:"asam_edition"` // "3" (2013) or "4" (2023)
	MOUD        string    `cp:"moud"`         // medication of interest
	Needs       string    `cp:"needs"`        // sealed free text
	AssessedAt  time.Time `cp:"assessed_at"`
	AssessedBy  string    `cp:"assessed_by"`

	Facility  string    `cp:"facility"`
	PlacedAt  time.Time `cp:"placed_at"`
	Transport string    `cp:"transport"`
	PlacedBy  string    `cp:"placed_by"`
	// CheckInPlan is the days after placement at which check-ins fall due.
	CheckInPlan string `cp:"checkin_plan"`

	ClosedAt    time.Time `cp:"closed_at"`
	CloseReason string    `cp:"close_reason"`

	// Review is set when a deletion and an edit it did not see met.
	Review bool
}

// Validate checks the case.
func (c *Case) Validate() error {
	checks := []struct {
		label, v string
		allowed  []string
	}{
		{"channel", c.Channel, Channels},
		{"status", c.Status, Statuses},
		{"insurance", c.Insurance, Insurances},
		{"level", c.Level, Levels},
		{"asam_edition", c.ASAMEdition, ASAMEditions},
		{"moud", c.MOUD, MOUDs},
		{"eligible", c.Eligible, []string{"yes", "no"}},
		{"transport", c.Transport, Transports},
	}
	for _, ch := range checks {
		if ch.v != "" && !slices.Contains(ch.allowed, ch.v) {
			return Errorf(EINVALID, "%s %q: use one of %s", ch.label, ch.v, strings.Join(ch.allowed, ", "))
		}
	}
	if c.Channel == "" {
		return Errorf(EINVALID, "channel: required (%s)", strings.Join(Channels, ", "))
	}
	if c.OpenedAt.IsZero() {
		return Errorf(EINVALID, "opened_at: the time of first contact is required")
	}
	for _, s := range c.Substances {
		if s == "" || strings.ContainsAny(s, ",\n") || len(s) > 60 {
			return Errorf(EINVALID, "substance %q: one word or short phrase each, separated by commas", s)
		}
	}
	if c.Status == StatusPlaced && c.Facility == "" {
		return Errorf(EINVALID, "status placed: name the facility first")
	}
	if len(c.Needs) > 4000 {
		return Errorf(EINVALID, "needs: at most 4000 characters")
	}
	return nil
}

// Allowed values.
var (
	Channels     = []string{"walk-in", "phone", "ed", "outreach", "family"}
	Statuses     = []string{StatusOpen, StatusPlaced, StatusClosed}
	Insurances   = []string{"none", "medicaid", "medicare", "private", "va", "other"}
	Levels       = []string{"0.5", "1", "2.1", "2.5", "3.1", "3.3", "3.5", "3.7", "4", "WM", "OTP"}
	ASAMEditions = []string{"3", "4"}
	MOUDs        = []string{"methadone", "buprenorphine", "naltrexone", "none", "undecided"}
	Genders      = []string{"male", "female", "nonbinary", "other"}
	Transports   = []string{"coach", "family", "facility", "police", "taxi", "ambulance", "self", "other"}
	Situations   = []string{"in_treatment", "completed", "recovery_support", "relapsed", "reentered", "lost_contact", "deceased"}
	// FollowUpEnds are the reasons a placed case's follow-up ends, as its
	// close reason reads.
	FollowUpEnds = []string{FollowUpCompleted, FollowUpLost, "moved away", "declined further contact", "deceased"}
)

// The two commonest ends of follow-up.
const (
	FollowUpCompleted = "follow-up completed"
	FollowUpLost      = "lost contact"
)

// Case statuses.
const (
	StatusOpen   = "open"
	StatusPlaced = "placed"
	StatusClosed = "closed"
)

// Coach is a volunteer recovery coach.
type Coach struct {
	ID              string
	Name            string   `cp:"name"`
	Phone           string   `cp:"phone"`
	Gender          string   `cp:"gender"`
	LivedExperience bool     `cp:"lived_experience"`
	Certification   string   `cp:"certification"`
	Active          bool     `cp:"active"`
	UserID          string   `cp:"user_id"`
	Agency          string   `cp:"agency"`
	Languages       []string `cp:"languages"`
}

// Validate checks the coach.
func (c *Coach) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return Errorf(EINVALID, "coach name: required")
	}
	if len(c.Name) > 200 {
		return Errorf(EINVALID, "coach name: at most 200 characters")
	}
	if c.Phone != "" {
		if _, err := NormalizePhone(c.Phone); err != nil {
			return err
		}
	}
	if c.Gender != "" && !slices.Contains(Genders, c.Gender) {
		return Errorf(EINVALID, "gender %q: use one of %s", c.Gender, strings.Join(Genders, ", "))
	}
	for _, l := range c.Languages {
		if !isLangCode(l) {
			return Errorf(EINVALID, "language %q: use two-letter codes like en, es, pl", l)
		}
	}
	return nil
}

// Shift is a time a coach is on call.
type Shift struct {
	ID       string
	Coach    string    `cp:"coach"`
	StartsAt time.Time `cp:"starts_at"`
	EndsAt   time.Time `cp:"ends_at"`
}

// Validate checks the shift.
func (s *Shift) Validate() error {
	if s.Coach == "" {
		return Errorf(EINVALID, "shift: which coach?")
	}
	if s.StartsAt.IsZero() || !s.EndsAt.After(s.StartsAt) {
		return Errorf(EINVALID, "shift: the end must come after the start")
	}
	return nil
}

// Consent is a 42 CFR §2.31 consent to disclose, and its revocation.
type Consent struct {
	ID          string
	CaseID      string    `cp:"case_id"`
	Discloser   string    `cp:"discloser"`   // who may disclose
	Recipient   string    `cp:"recipient"`   // to whom
	Purpose     string    `cp:"purpose"`     // why
	Information string    `cp:"information"` // what, how much
	ExpiresOn   string    `cp:"expires_on"`  // YYYY-MM-DD, or
	ExpiryEvent string    `cp:"expiry_event"`
	SignedBy    string    `cp:"signed_by"` // sealed
	SignedAt    time.Time `cp:"signed_at"`
	Status      string    `cp:"status"`      // granted or revoked
	RevokedAt   time.Time `cp:"revoked_at"`  // when the revocation was recorded
	RevokedOn   string    `cp:"revoked_on"`  // YYYY-MM-DD: the day the person revoked, as they said
	RevokedBy   string    `cp:"revoked_by"`  // the user who recorded it
	RevokeNote  string    `cp:"revoke_note"` // sealed: how the person revoked, in their words

	RevokerName string // RevokedBy's name, filled by Consents (not stored)
}

// Consent statuses.
const (
	ConsentGranted = "granted"
	ConsentRevoked = "revoked"
)

// Validate checks that the consent has every element §2.31 requires.
func (c *Consent) Validate() error {
	missing := []string{}
	for _, f := range []struct{ label, v string }{
		{"case", c.CaseID}, {"who may disclose", c.Discloser}, {"to whom", c.Recipient},
		{"purpose", c.Purpose}, {"what information", c.Information}, {"signed by", c.SignedBy},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.label)
		}
	}
	if len(missing) > 0 {
		return Errorf(EINVALID, "consent: missing %s", strings.Join(missing, ", "))
	}
	if c.ExpiresOn == "" && c.ExpiryEvent == "" {
		return Errorf(EINVALID, "consent: give an expiry date or event")
	}
	if c.ExpiresOn != "" {
		if _, err := time.Parse(DateLayout, c.ExpiresOn); err != nil {
			return Errorf(EINVALID, "consent expiry: use a date like 05/27/2027")
		}
	}
	if c.Status != ConsentGranted && c.Status != ConsentRevoked {
		return Errorf(EINVALID, "consent status %q: granted or revoked", c.Status)
	}
	return nil
}

// Facility is a treatment provider in the directory.
type Facility struct {
	ID          string
	Name        string    `cp:"name"`
	Name2       string    `cp:"name2"`
	Street      string    `cp:"street"`
	Street2     string    `cp:"street2"`
	City        string    `cp:"city"`
	State       string    `cp:"state"`
	ZIP         string    `cp:"zip"`
	Phone       string    `cp:"phone"`
	IntakePhone string    `cp:"intake_phone"`
	Website     string    `cp:"website"`
	Lat         float64   `cp:"lat"`
	Lon         float64   `cp:"lon"`
	Type        string    `cp:"type"`
	FRID        string    `cp:"frid"`
	VerifiedAt  time.Time `cp:"verified_at"`
	Services    []string  `cp:"services"`
}

// Validate checks the facility.
func (f *Facility) Validate() error {
	if strings.TrimSpace(f.Name) == "" {
		return Errorf(EINVALID, "facility name: required")
	}
	if f.Lat < -90 || f.Lat > 90 || f.Lon < -180 || f.Lon > 180 {
		return Errorf(EINVALID, "facility location: latitude %v, longitude %v is not on Earth", f.Lat, f.Lon)
	}
	return nil
}

// DispatchAttempt is one call to a coach for a case.
type DispatchAttempt struct {
	ID          string
	CaseID      string    `cp:"case_id"`
	Coach       string    `cp:"coach"`
	ContactedAt time.Time `cp:"contacted_at"`
	Method      string    `cp:"method"`   // phone, text, in person
	Response    string    `cp:"response"` // accepted, declined, no_answer, arrived
	ETAMinutes  int       `cp:"eta_minutes"`
	ArrivedAt   time.Time `cp:"arrived_at"`
	Amends      string    `cp:"amends"`
	Author      string    `cp:"author"`
}

// Note is free text on a case, sealed at rest.
type Note struct {
	ID     string
	CaseID string    `cp:"case_id"`
	At     time.Time `cp:"at"`
	Text   string    `cp:"text"`
	Amends string    `cp:"amends"`
	Author string    `cp:"author"`
}

// Validate checks the note.
func (n *Note) Validate() error {
	if strings.TrimSpace(n.Text) == "" {
		return Errorf(EINVALID, "note: empty")
	}
	if len(n.Text) > 10000 {
		return Errorf(EINVALID, "note: at most 10,000 characters")
	}
	return nil
}

// FacilityCall is one call to a facility about a case.
type FacilityCall struct {
	ID        string
	CaseID    string    `cp:"case_id"`
	Facility  string    `cp:"facility"`
	At        time.Time `cp:"at"`
	Result    string    `cp:"result"` // bed_held, no_bed, not_eligible, no_answer, call_back
	HeldUntil time.Time `cp:"held_until"`
	Note      string    `cp:"note"`
	Author    string    `cp:"author"`
}

// AvailabilityReport says how many slots a facility had open, and when.
type AvailabilityReport struct {
	ID       string
	Facility string    `cp:"facility"`
	Open     int       `cp:"open"`
	Note     string    `cp:"note"`
	At       time.Time `cp:"at"`
	Agency   string    `cp:"agency"`
	Author   string    `cp:"author"`
}

// CheckIn is one follow-up contact after placement.
type CheckIn struct {
	ID         string
	CaseID     string    `cp:"case_id"`
	DueOn      string    `cp:"due_on"`
	At         time.Time `cp:"at"`
	Reached    bool      `cp:"reached"`
	Attempts   int       `cp:"attempts"`
	Method     string    `cp:"method"`
	Situation  string    `cp:"situation"`
	Medication string    `cp:"medication"`
	Overdose   bool      `cp:"overdose"`
	Naloxone   bool      `cp:"naloxone"`
	Housing    string    `cp:"housing"`
	Work       string    `cp:"work"`
	BARC10     string    `cp:"barc10"` // ten scores 1–6, comma-separated
	NextDue    string    `cp:"next_due"`
	Notes      string    `cp:"notes"`
	Amends     string    `cp:"amends"`
	Author     string    `cp:"author"`
}

// AuditEvent records who did what to which record. It never holds personal data.
type AuditEvent struct {
	ID     string
	At     time.Time `cp:"at"`
	UserID string    `cp:"user_id"`
	Device string    `cp:"device"`
	Action string    `cp:"action"`
	Entity string    `cp:"entity"`
	RowID  string    `cp:"row_id"`
	Detail string    `cp:"detail"`
}

// Conflict is a field that devices changed concurrently: every value is kept
// until a coordinator keeps one.
type Conflict struct {
	Entity string
	Row    string
	Field  string
	Values []ConflictValue
	// Filled by Session.Conflicts, for a person to read: the case the
	// record belongs to (a case, its person, a consent), and who or what
	// the record is about: the person's list name ("Daniel R."), the
	// facility's, coach's or user's name.
	CaseID  string
	Subject string
}

// ConflictValue is one of the competing values of a conflict.
type ConflictValue struct {
	Op    OpID
	HLC   HLC
	User  string
	Value string
	Who   string // the writer's name (Session.Conflicts)
}

func isZIP(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isLangCode(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// Validate checks the dispatch attempt.
func (d *DispatchAttempt) Validate() error {
	if d.CaseID == "" || d.Coach == "" {
		return Errorf(EINVALID, "dispatch: which case and which coach?")
	}
	if !slices.Contains(DispatchResponses, d.Response) {
		return Errorf(EINVALID, "response %q: use one of %s", d.Response, strings.Join(DispatchResponses, ", "))
	}
	if d.ETAMinutes < 0 || d.ETAMinutes > 24*60 {
		return Errorf(EINVALID, "ETA: give minutes, 0 to 1440")
	}
	if !d.ArrivedAt.IsZero() && d.ArrivedAt.Before(d.ContactedAt) {
		return Errorf(EINVALID, "arrived: cannot be before the coach was contacted")
	}
	return nil
}

// DispatchResponses are a coach's answers to a call.
var DispatchResponses = []string{"accepted", "declined", "no_answer", "arrived"}

// Validate checks the call to a facility.
func (f *FacilityCall) Validate() error {
	if f.CaseID == "" || f.Facility == "" {
		return Errorf(EINVALID, "facility call: which case and which facility?")
	}
	if !slices.Contains(FacilityCallResults, f.Result) {
		return Errorf(EINVALID, "result %q: use one of %s", f.Result, strings.Join(FacilityCallResults, ", "))
	}
	if f.Result == "bed_held" && f.HeldUntil.IsZero() {
		return Errorf(EINVALID, "bed held: until when?")
	}
	return nil
}

// FacilityCallResults are the outcomes of a call to a facility.
var FacilityCallResults = []string{"bed_held", "no_bed", "not_eligible", "no_answer", "call_back"}

// Validate checks the slot report.
func (a *AvailabilityReport) Validate() error {
	if a.Facility == "" {
		return Errorf(EINVALID, "open slots: which facility?")
	}
	if a.Open < 0 || a.Open > 999 {
		return Errorf(EINVALID, "open slots: give a number from 0 to 999")
	}
	if len(a.Note) > 500 {
		return Errorf(EINVALID, "open slots note: at most 500 characters")
	}
	return nil
}

// Validate checks the check-in, including its BARC-10 scores.
func (c *CheckIn) Validate() error {
	if c.CaseID == "" {
		return Errorf(EINVALID, "check-in: which case?")
	}
	if c.Reached && !slices.Contains(Situations, c.Situation) {
		return Errorf(EINVALID, "where the person is now %q: use one of %s", c.Situation, strings.Join(Situations, ", "))
	}
	if c.Attempts < 0 || c.Attempts > 50 {
		return Errorf(EINVALID, "attempts: give a number from 0 to 50")
	}
	for _, d := range []struct{ label, v string }{{"due", c.DueOn}, {"next due", c.NextDue}} {
		if d.v != "" {
			if _, err := time.Parse(DateLayout, d.v); err != nil {
				return Errorf(EINVALID, "%s date: use a date like 12/04/2026", d.label)
			}
		}
	}
	if c.BARC10 != "" {
		if _, err := BARC10Score(c.BARC10); err != nil {
			return err
		}
	}
	return nil
}

// BARC10Score checks ten comma-separated item scores of 1–6 and returns
// their sum (10–60), the Brief Assessment of Recovery Capital.
func BARC10Score(s string) (int, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 10 {
		return 0, Errorf(EINVALID, "BARC-10: give 10 scores, not %d", len(parts))
	}
	sum := 0
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 6 {
			return 0, Errorf(EINVALID, "BARC-10 item %d: score 1 to 6", i+1)
		}
		sum += n
	}
	return sum, nil
}
