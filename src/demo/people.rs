//! Invents persons: students of a grade with their guardians, and staff. Shared by the
//! generator and churn so new students in a churn round look like generated ones.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use time::Date;

use super::clock::{Stamp, CURRENT_YEAR_START};
use super::names::{pick, FAMILY, GIVEN_FEMALE, GIVEN_MALE};
use super::writer::{NewPerson, Role, Sex, Writer};
use super::DemoError;

/// A household: the family name children get, and the guardians they share.
#[derive(Debug, Clone)]
pub(super) struct Family {
    pub name: &'static str,
    pub guardians: Vec<i64>,
}

fn random_sex(rng: &mut ChaCha8Rng) -> Sex {
    if rng.random_bool(0.5) {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn given_name(rng: &mut ChaCha8Rng, sex: Sex) -> &'static str {
    match sex {
        Sex::Male => pick(rng, GIVEN_MALE),
        Sex::Female => pick(rng, GIVEN_FEMALE),
    }
}

/// Danish mellemnavne are common; about one in six gets one.
fn middle_name(rng: &mut ChaCha8Rng) -> Option<&'static str> {
    rng.random_bool(0.15).then(|| pick(rng, FAMILY))
}

fn mobile(rng: &mut ChaCha8Rng) -> String {
    format!("+45{}", rng.random_range(20_000_000..99_999_999u32))
}

/// Born in the year that makes them 6 (børnehaveklasse) to 16 (10. klasse) this autumn.
fn birth_date(rng: &mut ChaCha8Rng, grade: u8) -> Result<Date, DemoError> {
    let year = CURRENT_YEAR_START - 6 - i32::from(grade);
    Ok(Date::from_ordinal_date(year, rng.random_range(1..=365))?)
}

/// A student in `grade` of `family`; about 1% have a disabled account.
pub(super) fn student(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    grade: u8,
    family: &'static str,
    stamp: Stamp,
) -> Result<i64, DemoError> {
    let sex = random_sex(rng);
    let person = NewPerson {
        role: Role::Student,
        given: given_name(rng, sex),
        middle: middle_name(rng),
        family,
        grade: Some(grade),
        birth: Some(birth_date(rng, grade)?),
        sex: Some(sex),
        enabled: !rng.random_bool(0.01),
        mobile: None,
        stamp,
    };
    w.person(rng, &person)
}

/// An adult (staff or guardian): no grade, and no birth date or sex on record. Without a given
/// family name one is drawn after the first names (the order keeps seeded output stable).
fn adult(
    rng: &mut ChaCha8Rng,
    role: Role,
    sex: Sex,
    family: Option<&'static str>,
    stamp: Stamp,
) -> NewPerson<'static> {
    let given = given_name(rng, sex);
    let middle = middle_name(rng);
    let family = family.unwrap_or_else(|| pick(rng, FAMILY));
    NewPerson {
        role,
        given,
        middle,
        family,
        grade: None,
        birth: None,
        sex: None,
        enabled: true,
        mobile: Some(mobile(rng)),
        stamp,
    }
}

/// A new household of one or two guardians, affiliated with the school as contacts.
pub(super) fn new_family(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    school: i64,
    stamp: Stamp,
) -> Result<Family, DemoError> {
    let name = pick(rng, FAMILY);
    let count = if rng.random_bool(0.6) { 2 } else { 1 };
    let mut guardians = Vec::with_capacity(count);
    for n in 0..count {
        let sex = if n == 0 { Sex::Female } else { Sex::Male };
        // Mothers often keep their own family name.
        let family = if n == 0 && rng.random_bool(0.3) {
            pick(rng, FAMILY)
        } else {
            name
        };
        let person = adult(rng, Role::Guardian, sex, Some(family), stamp);
        let id = w.person(rng, &person)?;
        w.affiliation(id, school, "kontakt", false, stamp)?;
        guardians.push(id);
    }
    Ok(Family { name, guardians })
}

/// Links a student to every guardian of the household ('Mor' first, then 'Far').
pub(super) fn link_family(
    w: &mut Writer<'_>,
    student: i64,
    family: &Family,
    stamp: Stamp,
) -> Result<(), DemoError> {
    for (n, guardian) in family.guardians.iter().enumerate() {
        let relation = if n == 0 { "Mor" } else { "Far" };
        w.contact(student, *guardian, relation, stamp)?;
    }
    Ok(())
}

/// A staff member of `role`, affiliated with `institution` as an employee.
pub(super) fn staff(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    role: Role,
    institution: i64,
    stamp: Stamp,
) -> Result<i64, DemoError> {
    let sex = random_sex(rng);
    let person = adult(rng, role, sex, None, stamp);
    let id = w.person(rng, &person)?;
    w.affiliation(id, institution, "ansat", false, stamp)?;
    Ok(id)
}
