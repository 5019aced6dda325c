//! One generator run: settings, calendar and templates, then the municipality school by school,
//! then the tombstones.
//!
//! Determinism: one `ChaCha8Rng` stream drives the data and a second stream of the same seed the
//! client secret, so passing a secret does not change the data. Nothing reads the wall clock.
//! Tombstones are written last as UPDATEs, so the schema's cascade triggers do the same work for
//! the demo as for any other writer.

use rand::distr::Alphanumeric;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};

use super::clock::{ymd, Stamp, CURRENT_YEAR_START};
use super::names::school_name;
use super::people;
use super::school::{self, SchoolCtx, SchoolSpec, Templates};
use super::writer::{Role, Writer};
use super::{DemoError, Scale, CLIENT_ID};

/// The municipality's institution number; its schools are numbered after it.
const MUNICIPALITY_NUMBER: u32 = 999_000;

/// Rows the generator decided to tombstone once everything is in place.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    /// Groups (hold only: a student must keep a stamklasse).
    pub groups: Vec<i64>,
    /// Students that left the municipality, with the guardians only they had.
    pub students: Vec<(i64, Vec<i64>)>,
    /// Staff that left; they were never anyone's primary teacher.
    pub staff: Vec<i64>,
}

/// Two school years, each with two halves (terms) holding one grading period each. The extra
/// Standpunkt 3 of last year was created by mistake and deleted: academicSessions has a tombstone.
const CALENDAR_SQL: &str = "
INSERT INTO SchoolYears (Id, ExternalId, Name, StartDate, EndDate, ModifiedAt) VALUES
 (1, 'sy-2026', '2025-2026', '2025-08-01', '2026-07-31', '2025-06-15T08:00:00.000Z'),
 (2, 'sy-2027', '2026-2027', '2026-08-01', '2027-07-31', '2026-06-15T08:00:00.000Z');
INSERT INTO Periods (Id, ExternalId, SchoolYearId, ParentPeriodId, Name, PeriodType, StartDate, EndDate, Deleted, ModifiedAt) VALUES
 (1, 'sy-2026-h1',     1, NULL, '1. halvår 2025-2026',    'Halvår',     '2025-08-01', '2026-01-31', 0, '2025-06-15T08:00:00.000Z'),
 (2, 'sy-2026-h1-sp1', 1, 1,    'Standpunkt 1 2025-2026', 'Standpunkt', '2025-12-01', '2026-01-31', 0, '2025-06-15T08:00:00.000Z'),
 (3, 'sy-2026-h2',     1, NULL, '2. halvår 2025-2026',    'Halvår',     '2026-02-01', '2026-07-31', 0, '2025-06-15T08:00:00.000Z'),
 (4, 'sy-2026-h2-sp2', 1, 3,    'Standpunkt 2 2025-2026', 'Standpunkt', '2026-06-01', '2026-07-31', 0, '2025-06-15T08:00:00.000Z'),
 (5, 'sy-2026-h2-sp3', 1, 3,    'Standpunkt 3 2025-2026', 'Standpunkt', '2026-06-15', '2026-07-31', 1, '2026-11-05T09:30:00.000Z'),
 (6, 'sy-2027-h1',     2, NULL, '1. halvår 2026-2027',    'Halvår',     '2026-08-01', '2027-01-31', 0, '2026-06-15T08:00:00.000Z'),
 (7, 'sy-2027-h1-sp1', 2, 6,    'Standpunkt 1 2026-2027', 'Standpunkt', '2026-12-01', '2027-01-31', 0, '2026-06-15T08:00:00.000Z'),
 (8, 'sy-2027-h2',     2, NULL, '2. halvår 2026-2027',    'Halvår',     '2027-02-01', '2027-07-31', 0, '2026-06-15T08:00:00.000Z'),
 (9, 'sy-2027-h2-sp2', 2, 8,    'Standpunkt 2 2026-2027', 'Standpunkt', '2027-06-01', '2027-07-31', 0, '2026-06-15T08:00:00.000Z');
";

/// The current school year's Id in `CALENDAR_SQL`.
const CURRENT_YEAR_ID: i64 = 2;

/// Stamklasse and hold templates create class Teams; SFO groups have no Teams template, so
/// they stay out of classes and enrollments.
const TEMPLATES_SQL: &str = "
INSERT INTO GroupTemplates (Id, ExternalId, Name, OrganizationType, TeamsTemplate, ModifiedAt) VALUES
 (1, 'tpl-stamklasse', 'Stamklasse', 'stamklasse', 'educationClass', '2026-06-15T08:00:00.000Z'),
 (2, 'tpl-hold',       'Hold',       'hold',       'educationClass', '2026-06-15T08:00:00.000Z'),
 (3, 'tpl-sfo',        'SFO-gruppe', 'hold',       NULL,             '2026-06-15T08:00:00.000Z');
INSERT INTO ModuleSettings (ModuleName, SettingName, Value) VALUES
 ('Office365Teams', 'Enabled', 'true'),
 ('Office365Teams', 'UseSDS', 'true'),
 ('Office365Tenant', 'Domain', 'skole.demokommune.dk');
";

const TEMPLATES: Templates = Templates {
    stamklasse: 1,
    hold: 2,
    sfo: 3,
};

/// Fills an empty schema. Runs inside the caller's transaction.
pub(super) fn generate(
    conn: &Connection,
    scale: Scale,
    seed: u64,
    client_secret: Option<&str>,
) -> Result<(), DemoError> {
    let secret = client_secret.map_or_else(|| random_secret(seed), str::to_owned);
    conn.execute(
        "INSERT INTO WebServicesSettings (Id, ServiceName, UserName, Password) \
         VALUES (1, 'IMS sync', ?1, ?2)",
        params![CLIENT_ID, secret],
    )?;
    conn.execute_batch(CALENDAR_SQL)?;
    conn.execute_batch(TEMPLATES_SQL)?;

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = Writer::new(conn)?;
    let municipality = w.institution(
        &MUNICIPALITY_NUMBER.to_string(),
        "Demokommune",
        None,
        false,
        Stamp::ordinary(&mut rng),
    )?;
    // A municipal administrator whose only org is the district.
    let stamp = Stamp::ordinary(&mut rng);
    people::staff(&mut w, &mut rng, Role::Leader, municipality, stamp)?;

    let ctx = SchoolCtx {
        municipality,
        year: CURRENT_YEAR_ID,
        begin: ymd(CURRENT_YEAR_START, time::Month::August, 1)?,
        templates: TEMPLATES,
    };
    let mut ledger = Ledger::default();
    let sizes = school_sizes(scale, &mut rng);
    let mut previous = None;
    for (index, students) in sizes.iter().enumerate() {
        let spec = SchoolSpec {
            index,
            number: school_number(index),
            students: *students,
            previous,
        };
        previous = Some(school::generate(
            &mut w,
            &mut rng,
            &ctx,
            &spec,
            &mut ledger,
        )?);
    }
    // A school closed this autumn: orgs has a tombstone too.
    let closed = sizes.len();
    let stamp = Stamp::recent(&mut rng);
    w.institution(
        &school_number(closed),
        &school_name(closed),
        Some(municipality),
        true,
        stamp,
    )?;
    tombstone(conn, &mut rng, &ledger)?;
    // STAT4 histograms let the planner see that `dateLastModified > ?` of a delta sync matches
    // few rows and take the ModifiedAt index instead of scanning in sourcedId order.
    conn.execute_batch("ANALYZE")?;
    Ok(())
}

/// 32 alphanumerics from a second stream of the seed.
fn random_secret(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    (0..32)
        .map(|_| char::from(rng.sample(Alphanumeric)))
        .collect()
}

fn school_number(index: usize) -> String {
    // At most 999 schools fit the municipality's number range; XL has 601.
    let offset = u32::try_from(index % 999).unwrap_or(0) + 1;
    (MUNICIPALITY_NUMBER + offset).to_string()
}

/// Students per school: Small ≈ 600 in 3 schools (SDS's paging checks need three active ones);
/// L 120 schools of 360–660; XL five times L.
fn school_sizes(scale: Scale, rng: &mut ChaCha8Rng) -> Vec<usize> {
    match scale {
        Scale::Small => {
            // One school big enough for two stamklasser per grade, so students can move
            // between parallel classes; two small ones.
            [300, 160, 140]
                .into_iter()
                .map(|size| size * rng.random_range(95..=110) / 100)
                .collect()
        }
        Scale::L => (0..120).map(|_| rng.random_range(360..=660)).collect(),
        Scale::XL => (0..600).map(|_| rng.random_range(360..=660)).collect(),
    }
}

/// Soft-deletes the ledger's rows with recent stamps; the triggers cascade to memberships and
/// contact relations. `max(…, ModifiedAt + 1 ms)` keeps the stamp moving forward even where a
/// link insert already bumped the row, so no trigger falls back to the wall clock.
fn tombstone(conn: &Connection, rng: &mut ChaCha8Rng, ledger: &Ledger) -> Result<(), DemoError> {
    let sql = |table: &str| {
        format!(
            "UPDATE {table} SET Deleted = 1, \
             ModifiedAt = max(?2, strftime('%Y-%m-%dT%H:%M:%fZ', ModifiedAt, '+0.001 seconds')) \
             WHERE Id = ?1 AND Deleted = 0"
        )
    };
    let mut groups = conn.prepare(&sql("Groups"))?;
    for id in &ledger.groups {
        groups.execute(params![id, Stamp::recent(rng).text()?])?;
    }
    let mut persons = conn.prepare(&sql("Persons"))?;
    for (student, guardians) in &ledger.students {
        let stamp = Stamp::recent(rng);
        persons.execute(params![student, stamp.text()?])?;
        // Later than the student: the student's cascade has just bumped the guardians.
        for guardian in guardians {
            persons.execute(params![guardian, stamp.plus_ms(1_000).text()?])?;
        }
    }
    for id in &ledger.staff {
        persons.execute(params![id, Stamp::recent(rng).text()?])?;
    }
    Ok(())
}
