-- Reference UMS schema (SQLite), the embedded demo store of ums-oneroster.
--
-- The real inLogic UMS schema is not public. These tables model what is known of it (STIL/Unilogin
-- concepts: institutions, persons, groups from templates, memberships, contacts, school years) so
-- that the OneRoster views in 002_oneroster_views.sql have something realistic to map. The
-- SQL Server twin is infra/sql/mssql/001_ums_schema.sql; keep the two equivalent.
--
-- Conventions every entity table follows, because the delta sync of Microsoft SDS depends on them:
--   ExternalId  the OneRoster sourcedId: [A-Za-z0-9_-] only (SDS turns anything else into '_' and
--               ids end up in Team aliases). Immutable: a trigger refuses to change it.
--   Deleted     0/1. Rows are never removed: a DELETE becomes Deleted = 1 (tombstone trigger), so
--               SDS can still see them as 'tobedeleted'.
--   ModifiedAt  UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ' so that text order is time order. Every change
--               to a row, or to a link row that a view exposes through it, moves it forward.
--   Status      generated from Deleted alone, so 'status' filters are index seeks, not joins.
--
-- Time stamps in triggers. A writer may set ModifiedAt itself (LiveAtEdu_Sync, the demo churn, tests
-- that control time); a trigger keeps that value when it moves forward. Otherwise the trigger takes
--   FRESH(o) = max(wall clock, o + 1 ms)
-- which never goes backwards even when the stored stamp is ahead of the wall clock. 'now' is
-- constant within one statement, so all triggers fired by one statement agree on the stamp:
--   STAMP    = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt ELSE FRESH(OLD) END
-- Triggers assume recursive_triggers is OFF (SQLite's default); they terminate either way.

-- ============================================================================================
-- Settings (not OneRoster entities, so no ExternalId/Deleted/ModifiedAt)
-- ============================================================================================

-- Web-service credentials. inLogic documents that the SDS client id is always 'WebserviceUser' and
-- the client secret is read from this table; its exact columns are an assumption.
CREATE TABLE WebServicesSettings (
    Id          INTEGER PRIMARY KEY,
    ServiceName TEXT,
    UserName    TEXT,
    Password    TEXT
);
CREATE INDEX IX_WebServicesSettings_UserName ON WebServicesSettings (UserName);

CREATE TABLE ModuleSettings (
    ModuleName  TEXT NOT NULL,
    SettingName TEXT NOT NULL,
    Value       TEXT,
    PRIMARY KEY (ModuleName, SettingName)
);

-- ============================================================================================
-- Entities
-- ============================================================================================

-- The municipality (kommune, OneRoster 'district') and its schools (one level below it).
CREATE TABLE Institutions (
    Id                INTEGER PRIMARY KEY,
    ExternalId        TEXT NOT NULL UNIQUE
                      CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    InstitutionNumber TEXT NOT NULL UNIQUE
                      CHECK (length(InstitutionNumber) = 6 AND InstitutionNumber NOT GLOB '*[^A-Za-z0-9]*'),
    Name              TEXT NOT NULL,
    InstitutionType   TEXT NOT NULL CHECK (InstitutionType IN ('Kommune', 'Skole')),
    ParentId          INTEGER REFERENCES Institutions (Id),
    Deleted           INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                      CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status            TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Skoleår, 1 August to 31 July, named 'YYYY-YYYY' as in the Unilogin import.
CREATE TABLE SchoolYears (
    Id         INTEGER PRIMARY KEY,
    ExternalId TEXT NOT NULL UNIQUE
               CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    Name       TEXT NOT NULL CHECK (Name GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    StartDate  TEXT NOT NULL CHECK (StartDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    EndDate    TEXT NOT NULL CHECK (EndDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    Deleted    INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
               CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status     TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Periods inside a school year: the halves ('Halvår', OneRoster 'term') and, under each half, a
-- grading period ('Standpunkt', OneRoster 'gradingPeriod'). Classes get the halves as terms.
CREATE TABLE Periods (
    Id             INTEGER PRIMARY KEY,
    ExternalId     TEXT NOT NULL UNIQUE
                   CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    SchoolYearId   INTEGER NOT NULL REFERENCES SchoolYears (Id),
    ParentPeriodId INTEGER REFERENCES Periods (Id),
    Name           TEXT NOT NULL,
    PeriodType     TEXT NOT NULL CHECK (PeriodType IN ('Halvår', 'Standpunkt')),
    StartDate      TEXT NOT NULL CHECK (StartDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    EndDate        TEXT NOT NULL CHECK (EndDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    Deleted        INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                   CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status         TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Everyone: students (Elev), staff (Lærer, Pædagog, Leder) and guardians (Forælder).
-- UserName is the UNI-Login user name (never an '@': SDS appends the domain); Email is the full UPN.
-- GradeLevel is the Danish elevtrin, 0 = børnehaveklasse. Sex is 'M'/'K' (mand/kvinde).
CREATE TABLE Persons (
    Id            INTEGER PRIMARY KEY,
    ExternalId    TEXT NOT NULL UNIQUE
                  CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    UserName      TEXT NOT NULL CHECK (UserName <> '' AND instr(UserName, '@') = 0),
    Email         TEXT CHECK (Email IS NULL OR instr(Email, '@') > 1),
    GivenName     TEXT NOT NULL,
    MiddleName    TEXT,
    FamilyName    TEXT NOT NULL,
    Role          TEXT NOT NULL CHECK (Role IN ('Elev', 'Lærer', 'Pædagog', 'Leder', 'Forælder')),
    LocalPersonId TEXT NOT NULL CHECK (LocalPersonId <> ''),
    GradeLevel    INTEGER CHECK (GradeLevel BETWEEN 0 AND 10),
    BirthDate     TEXT CHECK (BirthDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    Sex           TEXT CHECK (Sex IN ('M', 'K')),
    Enabled       INTEGER NOT NULL DEFAULT 1 CHECK (Enabled IN (0, 1)),
    Phone         TEXT,
    Mobile        TEXT,
    Deleted       INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                  CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status        TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL,
    -- The OneRoster role, generated so that /students and /teachers are index seeks.
    OneRosterRole TEXT GENERATED ALWAYS AS (CASE Role
                      WHEN 'Elev' THEN 'student'
                      WHEN 'Lærer' THEN 'teacher'
                      WHEN 'Pædagog' THEN 'aide'
                      WHEN 'Leder' THEN 'administrator'
                      WHEN 'Forælder' THEN 'guardian' END) VIRTUAL
);

-- Affiliation of a person to an institution (STIL: elev, ansat, kontakt) = OneRoster user.orgs.
CREATE TABLE PersonInstitutions (
    Id            INTEGER PRIMARY KEY,
    ExternalId    TEXT NOT NULL UNIQUE
                  CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    PersonId      INTEGER NOT NULL REFERENCES Persons (Id),
    InstitutionId INTEGER NOT NULL REFERENCES Institutions (Id),
    Affiliation   TEXT NOT NULL CHECK (Affiliation IN ('elev', 'ansat', 'kontakt')),
    Deleted       INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                  CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z')
);

-- Group templates carry the organization type and the Office 365 Teams template. Only groups
-- whose template has a Teams template are OneRoster classes (inLogic's IMS sync prerequisite).
CREATE TABLE GroupTemplates (
    Id               INTEGER PRIMARY KEY,
    ExternalId       TEXT NOT NULL UNIQUE
                     CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    Name             TEXT NOT NULL,
    OrganizationType TEXT NOT NULL CHECK (OrganizationType IN ('stamklasse', 'hold')),
    TeamsTemplate    TEXT,
    Deleted          INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                     CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z')
);

-- Courses are not a UMS concept. They are kept as a table of their own (one per subject and
-- årgang, per school and school year, plus one 'Klasse N. årg.' course for the stamklasser) rather
-- than derived with GROUP BY over groups, so the courses view stays a flat, indexable table read.
CREATE TABLE Courses (
    Id            INTEGER PRIMARY KEY,
    ExternalId    TEXT NOT NULL UNIQUE
                  CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    InstitutionId INTEGER NOT NULL REFERENCES Institutions (Id),
    SchoolYearId  INTEGER NOT NULL REFERENCES SchoolYears (Id),
    Title         TEXT NOT NULL,
    CourseCode    TEXT NOT NULL CHECK (CourseCode <> ''),
    GradeLevel    INTEGER CHECK (GradeLevel BETWEEN 0 AND 10),
    Subject       TEXT,
    SubjectCode   TEXT,
    Deleted       INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                  CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status        TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Stamklasser ('5.B') and hold ('Tysk 8. årg.', 'Idræt 7.AB') of one school and school year.
CREATE TABLE Groups (
    Id            INTEGER PRIMARY KEY,
    ExternalId    TEXT NOT NULL UNIQUE
                  CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    InstitutionId INTEGER NOT NULL REFERENCES Institutions (Id),
    SchoolYearId  INTEGER NOT NULL REFERENCES SchoolYears (Id),
    TemplateId    INTEGER NOT NULL REFERENCES GroupTemplates (Id),
    CourseId      INTEGER NOT NULL REFERENCES Courses (Id),
    Name          TEXT NOT NULL,
    GroupCode     TEXT,
    GradeLevel    INTEGER CHECK (GradeLevel BETWEEN 0 AND 10),
    Location      TEXT,
    Deleted       INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                  CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status        TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Membership of a person in a group = OneRoster enrollment. An ended membership is Deleted = 1
-- with its EndDate set.
CREATE TABLE GroupMembers (
    Id         INTEGER PRIMARY KEY,
    ExternalId TEXT NOT NULL UNIQUE
               CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    GroupId    INTEGER NOT NULL REFERENCES Groups (Id),
    PersonId   INTEGER NOT NULL REFERENCES Persons (Id),
    Role       TEXT NOT NULL CHECK (Role IN ('Elev', 'Lærer')),
    IsPrimary  INTEGER NOT NULL DEFAULT 0 CHECK (IsPrimary IN (0, 1)),
    BeginDate  TEXT NOT NULL CHECK (BeginDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    EndDate    TEXT CHECK (EndDate GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    Deleted    INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
               CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'),
    Status     TEXT GENERATED ALWAYS AS (CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END) VIRTUAL
);

-- Student ↔ contact person (guardian), with the relation and parental authority (forældremyndighed).
CREATE TABLE ContactRelations (
    Id                INTEGER PRIMARY KEY,
    ExternalId        TEXT NOT NULL UNIQUE
                      CHECK (ExternalId <> '' AND ExternalId NOT GLOB '*[^A-Za-z0-9_-]*'),
    StudentId         INTEGER NOT NULL REFERENCES Persons (Id),
    ContactId         INTEGER NOT NULL REFERENCES Persons (Id),
    Relation          TEXT NOT NULL,
    ParentalAuthority INTEGER NOT NULL DEFAULT 1 CHECK (ParentalAuthority IN (0, 1)),
    Deleted           INTEGER NOT NULL DEFAULT 0 CHECK (Deleted IN (0, 1)),
    ModifiedAt        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                      CHECK (ModifiedAt GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z')
);

-- ============================================================================================
-- Indexes. Every view is read with ORDER BY sourcedId LIMIT/OFFSET, filtered on status and on
-- dateLastModified > ?, and by its reference columns; (key, ExternalId) pairs let a filtered page
-- come out of the index already in sourcedId order. ExternalId itself is indexed by UNIQUE.
-- ============================================================================================

CREATE INDEX IX_Institutions_Status     ON Institutions (Status, ExternalId);
CREATE INDEX IX_Institutions_ModifiedAt ON Institutions (ModifiedAt);
CREATE INDEX IX_Institutions_Parent     ON Institutions (ParentId, ExternalId);

CREATE INDEX IX_SchoolYears_Status      ON SchoolYears (Status, ExternalId);
CREATE INDEX IX_SchoolYears_ModifiedAt  ON SchoolYears (ModifiedAt);

CREATE INDEX IX_Periods_Status          ON Periods (Status, ExternalId);
CREATE INDEX IX_Periods_ModifiedAt      ON Periods (ModifiedAt);
CREATE INDEX IX_Periods_SchoolYear      ON Periods (SchoolYearId, PeriodType);
CREATE INDEX IX_Periods_Parent          ON Periods (ParentPeriodId);

CREATE INDEX IX_Persons_Status          ON Persons (Status, ExternalId);
CREATE INDEX IX_Persons_ModifiedAt      ON Persons (ModifiedAt);
CREATE INDEX IX_Persons_Role            ON Persons (OneRosterRole, ExternalId);
CREATE INDEX IX_Persons_UserName        ON Persons (UserName);
CREATE INDEX IX_Persons_Email           ON Persons (Email);

CREATE INDEX IX_PersonInstitutions_Person      ON PersonInstitutions (PersonId);
CREATE INDEX IX_PersonInstitutions_Institution ON PersonInstitutions (InstitutionId);
-- One live affiliation per pair; tombstones may repeat it (delete, then insert again).
CREATE UNIQUE INDEX UX_PersonInstitutions_Live ON PersonInstitutions (PersonId, InstitutionId) WHERE Deleted = 0;

CREATE INDEX IX_Courses_Status          ON Courses (Status, ExternalId);
CREATE INDEX IX_Courses_ModifiedAt      ON Courses (ModifiedAt);
CREATE INDEX IX_Courses_Institution     ON Courses (InstitutionId, ExternalId);
CREATE INDEX IX_Courses_SchoolYear      ON Courses (SchoolYearId, ExternalId);

CREATE INDEX IX_Groups_Status           ON Groups (Status, ExternalId);
CREATE INDEX IX_Groups_ModifiedAt       ON Groups (ModifiedAt);
CREATE INDEX IX_Groups_Institution      ON Groups (InstitutionId, ExternalId);
CREATE INDEX IX_Groups_SchoolYear       ON Groups (SchoolYearId, ExternalId);
CREATE INDEX IX_Groups_Course           ON Groups (CourseId, ExternalId);
CREATE INDEX IX_Groups_Template         ON Groups (TemplateId);

-- GroupId makes the index cover the Teams-rule join, so skipping rows of a deep page (the
-- service's deferred-join paging) never reads the table.
CREATE INDEX IX_GroupMembers_Status     ON GroupMembers (Status, ExternalId, GroupId);
CREATE INDEX IX_GroupMembers_ModifiedAt ON GroupMembers (ModifiedAt);
CREATE INDEX IX_GroupMembers_Group      ON GroupMembers (GroupId, ExternalId);
CREATE INDEX IX_GroupMembers_Person     ON GroupMembers (PersonId, ExternalId);
CREATE UNIQUE INDEX UX_GroupMembers_Live ON GroupMembers (GroupId, PersonId) WHERE Deleted = 0;

CREATE INDEX IX_ContactRelations_Student ON ContactRelations (StudentId);
CREATE INDEX IX_ContactRelations_Contact ON ContactRelations (ContactId);
CREATE UNIQUE INDEX UX_ContactRelations_Live ON ContactRelations (StudentId, ContactId) WHERE Deleted = 0;

-- ============================================================================================
-- Tombstones: a DELETE marks the row deleted with a fresh stamp and is then ignored, so no
-- writer can make a record vanish from the views. The UPDATE fires the cascades below.
-- ============================================================================================

CREATE TRIGGER TR_Institutions_Tombstone BEFORE DELETE ON Institutions
BEGIN
    UPDATE Institutions SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_SchoolYears_Tombstone BEFORE DELETE ON SchoolYears
BEGIN
    UPDATE SchoolYears SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_Periods_Tombstone BEFORE DELETE ON Periods
BEGIN
    UPDATE Periods SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_Persons_Tombstone BEFORE DELETE ON Persons
BEGIN
    UPDATE Persons SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_PersonInstitutions_Tombstone BEFORE DELETE ON PersonInstitutions
BEGIN
    UPDATE PersonInstitutions SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_GroupTemplates_Tombstone BEFORE DELETE ON GroupTemplates
BEGIN
    UPDATE GroupTemplates SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_Courses_Tombstone BEFORE DELETE ON Courses
BEGIN
    UPDATE Courses SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_Groups_Tombstone BEFORE DELETE ON Groups
BEGIN
    UPDATE Groups SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_GroupMembers_Tombstone BEFORE DELETE ON GroupMembers
BEGIN
    UPDATE GroupMembers SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

CREATE TRIGGER TR_ContactRelations_Tombstone BEFORE DELETE ON ContactRelations
BEGIN
    UPDATE ContactRelations SET Deleted = 1, ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = OLD.Id AND Deleted = 0;
    SELECT RAISE(IGNORE);
END;

-- ============================================================================================
-- Immutable ids: a changed sourcedId would look to SDS like a deletion nobody announced.
-- ============================================================================================

CREATE TRIGGER TR_Institutions_KeepId BEFORE UPDATE OF ExternalId ON Institutions
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'Institutions.ExternalId is immutable'); END;

CREATE TRIGGER TR_SchoolYears_KeepId BEFORE UPDATE OF ExternalId ON SchoolYears
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'SchoolYears.ExternalId is immutable'); END;

CREATE TRIGGER TR_Periods_KeepId BEFORE UPDATE OF ExternalId ON Periods
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'Periods.ExternalId is immutable'); END;

CREATE TRIGGER TR_Persons_KeepId BEFORE UPDATE OF ExternalId ON Persons
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'Persons.ExternalId is immutable'); END;

CREATE TRIGGER TR_PersonInstitutions_KeepId BEFORE UPDATE OF ExternalId ON PersonInstitutions
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'PersonInstitutions.ExternalId is immutable'); END;

CREATE TRIGGER TR_GroupTemplates_KeepId BEFORE UPDATE OF ExternalId ON GroupTemplates
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'GroupTemplates.ExternalId is immutable'); END;

CREATE TRIGGER TR_Courses_KeepId BEFORE UPDATE OF ExternalId ON Courses
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'Courses.ExternalId is immutable'); END;

CREATE TRIGGER TR_Groups_KeepId BEFORE UPDATE OF ExternalId ON Groups
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'Groups.ExternalId is immutable'); END;

CREATE TRIGGER TR_GroupMembers_KeepId BEFORE UPDATE OF ExternalId ON GroupMembers
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'GroupMembers.ExternalId is immutable'); END;

CREATE TRIGGER TR_ContactRelations_KeepId BEFORE UPDATE OF ExternalId ON ContactRelations
WHEN NEW.ExternalId IS NOT OLD.ExternalId
BEGIN SELECT RAISE(ABORT, 'ContactRelations.ExternalId is immutable'); END;

-- School years and periods share the academicSessions id space.
CREATE TRIGGER TR_SchoolYears_UniqueSessionId BEFORE INSERT ON SchoolYears
WHEN EXISTS (SELECT 1 FROM Periods WHERE ExternalId = NEW.ExternalId)
BEGIN SELECT RAISE(ABORT, 'ExternalId already used by a period'); END;

CREATE TRIGGER TR_Periods_UniqueSessionId BEFORE INSERT ON Periods
WHEN EXISTS (SELECT 1 FROM SchoolYears WHERE ExternalId = NEW.ExternalId)
BEGIN SELECT RAISE(ABORT, 'ExternalId already used by a school year'); END;

-- ============================================================================================
-- Touch: an UPDATE that did not move ModifiedAt forward gets FRESH(OLD), so a writer that forgets
-- the stamp cannot hide a change from delta syncs.
-- ============================================================================================

CREATE TRIGGER TR_Institutions_Touch AFTER UPDATE ON Institutions
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE Institutions SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_SchoolYears_Touch AFTER UPDATE ON SchoolYears
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE SchoolYears SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_Periods_Touch AFTER UPDATE ON Periods
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE Periods SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_Persons_Touch AFTER UPDATE ON Persons
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE Persons SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_PersonInstitutions_Touch AFTER UPDATE ON PersonInstitutions
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE PersonInstitutions SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_GroupTemplates_Touch AFTER UPDATE ON GroupTemplates
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE GroupTemplates SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_Courses_Touch AFTER UPDATE ON Courses
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE Courses SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_Groups_Touch AFTER UPDATE ON Groups
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE Groups SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_GroupMembers_Touch AFTER UPDATE ON GroupMembers
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE GroupMembers SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

CREATE TRIGGER TR_ContactRelations_Touch AFTER UPDATE ON ContactRelations
WHEN NEW.ModifiedAt <= OLD.ModifiedAt
BEGIN
    UPDATE ContactRelations SET ModifiedAt = max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds'))
     WHERE Id = NEW.Id;
END;

-- ============================================================================================
-- Cascades: status comes from a row's own Deleted flag only (cheap to filter), so deleting a
-- person or a group must mark their memberships (and a person's contact relations) deleted too.
-- ============================================================================================

CREATE TRIGGER TR_Persons_Cascade AFTER UPDATE OF Deleted ON Persons
WHEN OLD.Deleted = 0 AND NEW.Deleted = 1
BEGIN
    UPDATE GroupMembers
       SET Deleted = 1,
           ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE PersonId = NEW.Id AND Deleted = 0;
    -- Fires the relation triggers below, which bump the other party (its agents[] changed).
    UPDATE ContactRelations
       SET Deleted = 1,
           ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE StudentId = NEW.Id AND Deleted = 0;
    UPDATE ContactRelations
       SET Deleted = 1,
           ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE ContactId = NEW.Id AND Deleted = 0;
END;

CREATE TRIGGER TR_Groups_Cascade AFTER UPDATE OF Deleted ON Groups
WHEN OLD.Deleted = 0 AND NEW.Deleted = 1
BEGIN
    UPDATE GroupMembers
       SET Deleted = 1,
           ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE GroupId = NEW.Id AND Deleted = 0;
END;

-- ============================================================================================
-- Owner bumps: a view row that shows data from another table moves forward when that data
-- changes. The owner only ever moves forward (ModifiedAt < stamp), so bulk loads whose link rows
-- are not newer than their owners cost a lookup and no write.
-- ============================================================================================

-- user.orgs[] lives in PersonInstitutions.
CREATE TRIGGER TR_PersonInstitutions_BumpInsert AFTER INSERT ON PersonInstitutions
BEGIN
    UPDATE Persons SET ModifiedAt = NEW.ModifiedAt WHERE Id = NEW.PersonId AND ModifiedAt < NEW.ModifiedAt;
END;

CREATE TRIGGER TR_PersonInstitutions_BumpUpdate AFTER UPDATE ON PersonInstitutions
BEGIN
    UPDATE Persons
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE Id IN (NEW.PersonId, OLD.PersonId)
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- user.agents[] lives in ContactRelations and is shown on both persons.
CREATE TRIGGER TR_ContactRelations_BumpInsert AFTER INSERT ON ContactRelations
BEGIN
    UPDATE Persons SET ModifiedAt = NEW.ModifiedAt
     WHERE Id IN (NEW.StudentId, NEW.ContactId) AND ModifiedAt < NEW.ModifiedAt;
END;

CREATE TRIGGER TR_ContactRelations_BumpUpdate AFTER UPDATE ON ContactRelations
BEGIN
    UPDATE Persons
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE Id IN (NEW.StudentId, NEW.ContactId, OLD.StudentId, OLD.ContactId)
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- An enrollment shows its group's school, and exists only while the group's template is Teams-enabled.
CREATE TRIGGER TR_Groups_BumpMembers AFTER UPDATE OF InstitutionId, TemplateId ON Groups
WHEN NEW.InstitutionId IS NOT OLD.InstitutionId OR NEW.TemplateId IS NOT OLD.TemplateId
BEGIN
    UPDATE GroupMembers
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE GroupId = NEW.Id
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- A template decides classType and whether its groups (and their memberships) are classes at all.
CREATE TRIGGER TR_GroupTemplates_BumpGroups AFTER UPDATE OF OrganizationType, TeamsTemplate ON GroupTemplates
WHEN NEW.OrganizationType IS NOT OLD.OrganizationType OR NEW.TeamsTemplate IS NOT OLD.TeamsTemplate
BEGIN
    UPDATE Groups
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE TemplateId = NEW.Id
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
    UPDATE GroupMembers
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE (NEW.TeamsTemplate IS NULL) <> (OLD.TeamsTemplate IS NULL)
       AND GroupId IN (SELECT Id FROM Groups WHERE TemplateId = NEW.Id)
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- A class shows its course's subjects.
CREATE TRIGGER TR_Courses_BumpGroups AFTER UPDATE OF Subject, SubjectCode ON Courses
WHEN NEW.Subject IS NOT OLD.Subject OR NEW.SubjectCode IS NOT OLD.SubjectCode
BEGIN
    UPDATE Groups
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE CourseId = NEW.Id
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- class.terms[] are the live halves of the group's school year.
CREATE TRIGGER TR_Periods_BumpGroupsInsert AFTER INSERT ON Periods
WHEN NEW.PeriodType = 'Halvår'
BEGIN
    UPDATE Groups SET ModifiedAt = NEW.ModifiedAt
     WHERE SchoolYearId = NEW.SchoolYearId AND ModifiedAt < NEW.ModifiedAt;
END;

CREATE TRIGGER TR_Periods_BumpGroupsUpdate AFTER UPDATE OF SchoolYearId, PeriodType, Deleted ON Periods
WHEN NEW.SchoolYearId IS NOT OLD.SchoolYearId OR NEW.PeriodType IS NOT OLD.PeriodType OR NEW.Deleted IS NOT OLD.Deleted
BEGIN
    UPDATE Groups
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE SchoolYearId IN (NEW.SchoolYearId, OLD.SchoolYearId)
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;

-- A period shows its school year's end year as schoolYear.
CREATE TRIGGER TR_SchoolYears_BumpPeriods AFTER UPDATE OF EndDate ON SchoolYears
WHEN NEW.EndDate IS NOT OLD.EndDate
BEGIN
    UPDATE Periods
       SET ModifiedAt = CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END
     WHERE SchoolYearId = NEW.Id
       AND ModifiedAt < CASE WHEN NEW.ModifiedAt > OLD.ModifiedAt THEN NEW.ModifiedAt
                        ELSE max(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', OLD.ModifiedAt, '+0.001 seconds')) END;
END;
