-- 0001: the first schema.
--
-- Three layers:
--   ops, heads, superseded, set_elems   the operation log and the merge state;
--                                       everything else can be rebuilt from ops.
--   agencies ... audit_events           the current state, one table per entity,
--                                       written only by the merge (data/merge.go).
--   local_settings                      this device only: never synced or exported.
--
-- Values of sealed fields (names, dates of birth, phones, notes) are stored
-- as XChaCha20-Poly1305 ciphertext, in ops and in the tables alike.

-- ops: every change ever made on any device, as shipped by sync.
-- (device, seq) names an operation; hlc orders them; prev is a JSON array of
-- the operation names ("device/seq") that the writer saw as the field's value.
CREATE TABLE ops (
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    hlc    INTEGER NOT NULL,
    entity TEXT    NOT NULL,
    row_id TEXT    NOT NULL,
    field  TEXT    NOT NULL,
    value  BLOB,
    prev   TEXT    NOT NULL DEFAULT '[]',
    user_id TEXT   NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;

-- heads: for each register field, the operations no known operation has
-- superseded. One head is the value; several are a conflict.
CREATE TABLE heads (
    entity TEXT    NOT NULL,
    row_id TEXT    NOT NULL,
    field  TEXT    NOT NULL,
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (entity, row_id, field, device, seq)
) WITHOUT ROWID;

-- superseded: operations that some known operation lists in its prev. An
-- operation that arrives after one that superseded it is history, not a head,
-- which makes the heads independent of arrival order.
CREATE TABLE superseded (
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;

-- set_elems: the add operations of set fields that no remove has seen.
CREATE TABLE set_elems (
    entity TEXT    NOT NULL,
    row_id TEXT    NOT NULL,
    field  TEXT    NOT NULL,
    elem   TEXT    NOT NULL,
    device TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (entity, row_id, field, elem, device, seq)
) WITHOUT ROWID;

-- Register entities below share three bookkeeping columns:
--   tombstone  the value of the _deleted register ('' when not deleted)
--   deleted    1 when a tombstone covers every current value
--   review     1 when a tombstone exists but an edit it did not see brought
--              the record back: a person should look at it.

-- agencies: the program's police departments and partners.
CREATE TABLE agencies (
    id TEXT PRIMARY KEY,
    name TEXT, zip TEXT, network TEXT, recovery_key BLOB,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);

-- devices: the PCs and laptops enrolled in the program's network.
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT, agency TEXT, public_key TEXT, enrolled_at TEXT, revoked_at TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);

-- users: who can log in, with their role. password is an Argon2id verifier;
-- wrapped_key is the data key sealed under the user's password-derived key.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT, role TEXT, agency TEXT, active TEXT, name BLOB, password TEXT, wrapped_key BLOB,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_username ON users (username);

-- persons: the people asking for help. Everything that names them is sealed.
CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    first BLOB, last BLOB, alias BLOB, dob BLOB, phone BLOB, address BLOB,
    gender TEXT, language TEXT, zip TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);

-- cases: one request for help, from first contact through placement to closing.
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    person TEXT, agency TEXT, channel TEXT, status TEXT, opened_at TEXT, intake_by TEXT,
    insurance TEXT, payer TEXT,
    pregnant TEXT, veteran TEXT, mental_health TEXT, withdrawal_risk TEXT, housing_need TEXT,
    warrant TEXT, dv_charge TEXT, danger TEXT, medical_emergency TEXT, eligible TEXT,
    coach TEXT, level TEXT, asam_edition TEXT, moud TEXT, assessed_at TEXT, assessed_by TEXT,
    facility TEXT, placed_at TEXT, transport TEXT, placed_by TEXT,
    closed_at TEXT, close_reason TEXT,
    substances TEXT, needs BLOB,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_status ON cases (status, opened_at);
CREATE INDEX cases_person ON cases (person);

-- coaches: the volunteer recovery coaches on the roster.
CREATE TABLE coaches (
    id TEXT PRIMARY KEY,
    name BLOB, phone BLOB, gender TEXT, lived_experience TEXT, certification TEXT,
    active TEXT, user_id TEXT, agency TEXT, languages TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);

-- shifts: when a coach is on call.
CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    coach TEXT, starts_at TEXT, ends_at TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX shifts_time ON shifts (starts_at, ends_at);

-- consents: 42 CFR §2.31 consent to share with the program, with its revocation.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    case_id TEXT, discloser TEXT, recipient TEXT, purpose TEXT, information TEXT,
    expires_on TEXT, expiry_event TEXT, signed_at TEXT, revoked_at TEXT, signed_by BLOB, status TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consents_case ON consents (case_id);

-- facilities: the treatment directory shared by the region.
CREATE TABLE facilities (
    id TEXT PRIMARY KEY,
    name TEXT, name2 TEXT, street TEXT, street2 TEXT, city TEXT, state TEXT, zip TEXT,
    phone TEXT, intake_phone TEXT, website TEXT, lat TEXT, lon TEXT, type TEXT, frid TEXT,
    verified_at TEXT, services TEXT,
    tombstone TEXT NOT NULL DEFAULT '', deleted INTEGER NOT NULL DEFAULT 0, review INTEGER NOT NULL DEFAULT 0
);

-- Append-only records: written once, never changed; a correction is a new
-- record whose amends names the old one.

-- dispatch_attempts: each call to a coach for a case and how it went.
CREATE TABLE dispatch_attempts (
    id TEXT PRIMARY KEY,
    case_id TEXT, coach TEXT, contacted_at TEXT, method TEXT, response TEXT,
    eta_minutes TEXT, arrived_at TEXT, amends TEXT, author TEXT
);
CREATE INDEX dispatch_attempts_case ON dispatch_attempts (case_id);

-- notes: free-text notes on a case, sealed.
CREATE TABLE notes (
    id TEXT PRIMARY KEY,
    case_id TEXT, at TEXT, amends TEXT, author TEXT, text BLOB
);
CREATE INDEX notes_case ON notes (case_id);

-- facility_calls: each call to a facility for a case.
CREATE TABLE facility_calls (
    id TEXT PRIMARY KEY,
    case_id TEXT, facility TEXT, at TEXT, result TEXT, held_until TEXT, author TEXT, note BLOB
);
CREATE INDEX facility_calls_case ON facility_calls (case_id);

-- availability_reports: open-slot reports for a facility, from any station.
CREATE TABLE availability_reports (
    id TEXT PRIMARY KEY,
    facility TEXT, open TEXT, note TEXT, at TEXT, agency TEXT, author TEXT
);
CREATE INDEX availability_reports_facility ON availability_reports (facility, at);

-- check_ins: follow-up contacts with a person after placement.
CREATE TABLE check_ins (
    id TEXT PRIMARY KEY,
    case_id TEXT, due_on TEXT, at TEXT, reached TEXT, attempts TEXT, method TEXT, situation TEXT,
    medication TEXT, overdose TEXT, naloxone TEXT, housing TEXT, work TEXT, barc10 TEXT,
    next_due TEXT, amends TEXT, author TEXT, notes BLOB
);
CREATE INDEX check_ins_case ON check_ins (case_id);

-- audit_events: logins, refusals, views of sealed fields, exports and prints.
-- Never personal data: who did what to which record, by ID.
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TEXT, user_id TEXT, device TEXT, action TEXT, entity TEXT, row_id TEXT, detail TEXT
);
CREATE INDEX audit_events_at ON audit_events (at);

-- local_settings: this device's own state (its ID, sync cursors, window
-- size, the idle-lock minutes). Never synced, never exported.
CREATE TABLE local_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
