-- Reference UMS schema (SQL Server), the twin of infra/sql/sqlite/001_ums_schema.sql: same tables,
-- columns, indexes and trigger semantics. Keep the two equivalent. Needs SQL Server 2016 SP1 or later
-- (CREATE OR ALTER, THROW, filtered indexes).
--
-- The real inLogic UMS schema is not public; this models what is known of it (STIL/Unilogin
-- concepts). Conventions of every entity table, which the delta sync of Microsoft SDS relies on:
--   ExternalId  the OneRoster sourcedId, [A-Za-z0-9_-] only, binary collation so that ORDER BY
--               sourcedId gives the same order as SQLite. Immutable (the update triggers refuse).
--   Deleted     rows are never removed: INSTEAD OF DELETE triggers turn a DELETE into Deleted = 1.
--   ModifiedAt  datetime2(3) UTC. Every change to a row, or to a link row a view shows through it,
--               moves it forward.
--   Status      computed from Deleted alone and indexed with ExternalId, so status filters seek.
--
-- Stamps in triggers: a writer may set ModifiedAt itself; a trigger keeps it when it moves forward,
-- otherwise it takes FRESH(old) = max(SYSUTCDATETIME(), old + 1 ms), so a stamp never goes back.
-- Each table has one AFTER UPDATE trigger that first fills in forgotten stamps and then cascades,
-- reading the row's now-effective ModifiedAt. Triggers are safe with RECURSIVE_TRIGGERS on or off
-- (the default, off, is assumed) and need the default 'nested triggers' server option (on).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

-- ============================================================================================
-- Settings (not OneRoster entities)
-- ============================================================================================

-- Web-service credentials: inLogic documents the SDS client id 'WebserviceUser' and that the
-- secret is read from this table; its exact columns are an assumption.
CREATE TABLE dbo.WebServicesSettings (
    Id          int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_WebServicesSettings PRIMARY KEY,
    ServiceName nvarchar(100) NULL,
    UserName    nvarchar(100) NULL,
    Password    nvarchar(200) NULL
);
CREATE INDEX IX_WebServicesSettings_UserName ON dbo.WebServicesSettings (UserName);

CREATE TABLE dbo.ModuleSettings (
    ModuleName  nvarchar(100) NOT NULL,
    SettingName nvarchar(100) NOT NULL,
    Value       nvarchar(max) NULL,
    CONSTRAINT PK_ModuleSettings PRIMARY KEY (ModuleName, SettingName)
);
GO

-- ============================================================================================
-- Entities
-- ============================================================================================

-- The municipality (kommune, OneRoster 'district') and its schools (one level below it).
CREATE TABLE dbo.Institutions (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Institutions PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Institutions_ExternalId UNIQUE,
    InstitutionNumber varchar(6) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Institutions_Number UNIQUE,
    Name              nvarchar(200) NOT NULL,
    InstitutionType   nvarchar(20) NOT NULL,
    ParentId          int NULL CONSTRAINT FK_Institutions_Parent REFERENCES dbo.Institutions (Id),
    Deleted    bit NOT NULL CONSTRAINT DF_Institutions_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_Institutions_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_Institutions_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_Institutions_Number CHECK (LEN(InstitutionNumber) = 6 AND InstitutionNumber NOT LIKE '%[^A-Za-z0-9]%'),
    CONSTRAINT CK_Institutions_Type CHECK (InstitutionType IN (N'Kommune', N'Skole'))
);

-- Skoleår, 1 August to 31 July, named 'YYYY-YYYY' as in the Unilogin import.
CREATE TABLE dbo.SchoolYears (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_SchoolYears PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_SchoolYears_ExternalId UNIQUE,
    Name       varchar(9) NOT NULL,
    StartDate  date NOT NULL,
    EndDate    date NOT NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_SchoolYears_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_SchoolYears_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_SchoolYears_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_SchoolYears_Name CHECK (Name LIKE '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]')
);

-- Halves ('Halvår' = OneRoster term) and a grading period under each ('Standpunkt' = gradingPeriod).
CREATE TABLE dbo.Periods (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Periods PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Periods_ExternalId UNIQUE,
    SchoolYearId   int NOT NULL CONSTRAINT FK_Periods_SchoolYear REFERENCES dbo.SchoolYears (Id),
    ParentPeriodId int NULL CONSTRAINT FK_Periods_Parent REFERENCES dbo.Periods (Id),
    Name           nvarchar(200) NOT NULL,
    PeriodType     nvarchar(20) NOT NULL,
    StartDate      date NOT NULL,
    EndDate        date NOT NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_Periods_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_Periods_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_Periods_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_Periods_Type CHECK (PeriodType IN (N'Halvår', N'Standpunkt'))
);

-- Students (Elev), staff (Lærer, Pædagog, Leder) and guardians (Forælder). UserName = UNI-Login
-- user name (no '@'); Email = full UPN; GradeLevel = elevtrin (0 = børnehaveklasse); Sex 'M'/'K'.
CREATE TABLE dbo.Persons (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Persons PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Persons_ExternalId UNIQUE,
    UserName      nvarchar(100) NOT NULL,
    Email         nvarchar(256) NULL,
    GivenName     nvarchar(100) NOT NULL,
    MiddleName    nvarchar(100) NULL,
    FamilyName    nvarchar(100) NOT NULL,
    Role          nvarchar(20) NOT NULL,
    LocalPersonId nvarchar(50) NOT NULL,
    GradeLevel    tinyint NULL,
    BirthDate     date NULL,
    Sex           char(1) NULL,
    Enabled       bit NOT NULL CONSTRAINT DF_Persons_Enabled DEFAULT 1,
    Phone         nvarchar(50) NULL,
    Mobile        nvarchar(50) NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_Persons_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_Persons_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    -- The OneRoster role, computed so that /students and /teachers are index seeks.
    OneRosterRole AS CAST(CASE Role
                      WHEN N'Elev' THEN 'student'
                      WHEN N'Lærer' THEN 'teacher'
                      WHEN N'Pædagog' THEN 'aide'
                      WHEN N'Leder' THEN 'administrator'
                      WHEN N'Forælder' THEN 'guardian' END AS varchar(13)),
    CONSTRAINT CK_Persons_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_Persons_UserName CHECK (UserName <> N'' AND CHARINDEX(N'@', UserName) = 0),
    CONSTRAINT CK_Persons_Email CHECK (Email IS NULL OR CHARINDEX(N'@', Email) > 1),
    CONSTRAINT CK_Persons_Role CHECK (Role IN (N'Elev', N'Lærer', N'Pædagog', N'Leder', N'Forælder')),
    CONSTRAINT CK_Persons_LocalPersonId CHECK (LocalPersonId <> N''),
    CONSTRAINT CK_Persons_GradeLevel CHECK (GradeLevel BETWEEN 0 AND 10),
    CONSTRAINT CK_Persons_Sex CHECK (Sex IN ('M', 'K'))
);

-- Affiliation of a person to an institution (elev, ansat, kontakt) = OneRoster user.orgs.
CREATE TABLE dbo.PersonInstitutions (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_PersonInstitutions PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_PersonInstitutions_ExternalId UNIQUE,
    PersonId      int NOT NULL CONSTRAINT FK_PersonInstitutions_Person REFERENCES dbo.Persons (Id),
    InstitutionId int NOT NULL CONSTRAINT FK_PersonInstitutions_Institution REFERENCES dbo.Institutions (Id),
    Affiliation   nvarchar(20) NOT NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_PersonInstitutions_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_PersonInstitutions_ModifiedAt DEFAULT SYSUTCDATETIME(),
    CONSTRAINT CK_PersonInstitutions_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_PersonInstitutions_Affiliation CHECK (Affiliation IN (N'elev', N'ansat', N'kontakt'))
);

-- Templates carry the organization type and the Office 365 Teams template; only groups whose
-- template has a Teams template are OneRoster classes.
CREATE TABLE dbo.GroupTemplates (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_GroupTemplates PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_GroupTemplates_ExternalId UNIQUE,
    Name             nvarchar(200) NOT NULL,
    OrganizationType nvarchar(20) NOT NULL,
    TeamsTemplate    nvarchar(200) NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_GroupTemplates_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_GroupTemplates_ModifiedAt DEFAULT SYSUTCDATETIME(),
    CONSTRAINT CK_GroupTemplates_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_GroupTemplates_OrganizationType CHECK (OrganizationType IN (N'stamklasse', N'hold'))
);

-- Not a UMS concept: one course per subject and årgang per school and school year (plus
-- 'Klasse N. årg.' for the stamklasser), a table of its own so the courses view stays flat.
CREATE TABLE dbo.Courses (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Courses PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Courses_ExternalId UNIQUE,
    InstitutionId int NOT NULL CONSTRAINT FK_Courses_Institution REFERENCES dbo.Institutions (Id),
    SchoolYearId  int NOT NULL CONSTRAINT FK_Courses_SchoolYear REFERENCES dbo.SchoolYears (Id),
    Title         nvarchar(200) NOT NULL,
    CourseCode    nvarchar(50) NOT NULL,
    GradeLevel    tinyint NULL,
    Subject       nvarchar(200) NULL,
    SubjectCode   nvarchar(50) NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_Courses_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_Courses_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_Courses_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_Courses_CourseCode CHECK (CourseCode <> N''),
    CONSTRAINT CK_Courses_GradeLevel CHECK (GradeLevel BETWEEN 0 AND 10)
);

-- Stamklasser ('5.B') and hold ('Tysk 8. årg.', 'Idræt 7.AB') of one school and school year.
CREATE TABLE dbo.Groups (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Groups PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_Groups_ExternalId UNIQUE,
    InstitutionId int NOT NULL CONSTRAINT FK_Groups_Institution REFERENCES dbo.Institutions (Id),
    SchoolYearId  int NOT NULL CONSTRAINT FK_Groups_SchoolYear REFERENCES dbo.SchoolYears (Id),
    TemplateId    int NOT NULL CONSTRAINT FK_Groups_Template REFERENCES dbo.GroupTemplates (Id),
    CourseId      int NOT NULL CONSTRAINT FK_Groups_Course REFERENCES dbo.Courses (Id),
    Name          nvarchar(200) NOT NULL,
    GroupCode     nvarchar(50) NULL,
    GradeLevel    tinyint NULL,
    Location      nvarchar(100) NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_Groups_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_Groups_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_Groups_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_Groups_GradeLevel CHECK (GradeLevel BETWEEN 0 AND 10)
);

-- Membership = OneRoster enrollment; an ended one is Deleted = 1 with its EndDate set.
CREATE TABLE dbo.GroupMembers (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_GroupMembers PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_GroupMembers_ExternalId UNIQUE,
    GroupId    int NOT NULL CONSTRAINT FK_GroupMembers_Group REFERENCES dbo.Groups (Id),
    PersonId   int NOT NULL CONSTRAINT FK_GroupMembers_Person REFERENCES dbo.Persons (Id),
    Role       nvarchar(20) NOT NULL,
    IsPrimary  bit NOT NULL CONSTRAINT DF_GroupMembers_IsPrimary DEFAULT 0,
    BeginDate  date NOT NULL,
    EndDate    date NULL,
    Deleted    bit NOT NULL CONSTRAINT DF_GroupMembers_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_GroupMembers_ModifiedAt DEFAULT SYSUTCDATETIME(),
    Status     AS CAST(CASE WHEN Deleted = 0 THEN 'active' ELSE 'tobedeleted' END AS varchar(11)),
    CONSTRAINT CK_GroupMembers_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%'),
    CONSTRAINT CK_GroupMembers_Role CHECK (Role IN (N'Elev', N'Lærer'))
);

-- Student <-> guardian, with the relation and parental authority (forældremyndighed).
CREATE TABLE dbo.ContactRelations (
    Id         int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_ContactRelations PRIMARY KEY,
    ExternalId varchar(64) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT UQ_ContactRelations_ExternalId UNIQUE,
    StudentId         int NOT NULL CONSTRAINT FK_ContactRelations_Student REFERENCES dbo.Persons (Id),
    ContactId         int NOT NULL CONSTRAINT FK_ContactRelations_Contact REFERENCES dbo.Persons (Id),
    Relation          nvarchar(50) NOT NULL,
    ParentalAuthority bit NOT NULL CONSTRAINT DF_ContactRelations_ParentalAuthority DEFAULT 1,
    Deleted    bit NOT NULL CONSTRAINT DF_ContactRelations_Deleted DEFAULT 0,
    ModifiedAt datetime2(3) NOT NULL CONSTRAINT DF_ContactRelations_ModifiedAt DEFAULT SYSUTCDATETIME(),
    CONSTRAINT CK_ContactRelations_ExternalId CHECK (ExternalId <> '' AND ExternalId NOT LIKE '%[^A-Za-z0-9_-]%')
);

GO
-- ============================================================================================
-- Indexes: pages are read ORDER BY sourcedId with OFFSET/FETCH, filtered on status, on
-- dateLastModified > @p and on reference columns; (key, ExternalId) pairs return a filtered page
-- already in sourcedId order. ExternalId itself is indexed by its UNIQUE constraint.
-- ============================================================================================

CREATE INDEX IX_Institutions_Status     ON dbo.Institutions (Status, ExternalId);
CREATE INDEX IX_Institutions_ModifiedAt ON dbo.Institutions (ModifiedAt);
CREATE INDEX IX_Institutions_Parent     ON dbo.Institutions (ParentId, ExternalId);

CREATE INDEX IX_SchoolYears_Status      ON dbo.SchoolYears (Status, ExternalId);
CREATE INDEX IX_SchoolYears_ModifiedAt  ON dbo.SchoolYears (ModifiedAt);

CREATE INDEX IX_Periods_Status          ON dbo.Periods (Status, ExternalId);
CREATE INDEX IX_Periods_ModifiedAt      ON dbo.Periods (ModifiedAt);
CREATE INDEX IX_Periods_SchoolYear      ON dbo.Periods (SchoolYearId, PeriodType);
CREATE INDEX IX_Periods_Parent          ON dbo.Periods (ParentPeriodId);

CREATE INDEX IX_Persons_Status          ON dbo.Persons (Status, ExternalId);
CREATE INDEX IX_Persons_ModifiedAt      ON dbo.Persons (ModifiedAt);
CREATE INDEX IX_Persons_Role            ON dbo.Persons (OneRosterRole, ExternalId);
CREATE INDEX IX_Persons_UserName        ON dbo.Persons (UserName);
CREATE INDEX IX_Persons_Email           ON dbo.Persons (Email);

CREATE INDEX IX_PersonInstitutions_Person      ON dbo.PersonInstitutions (PersonId);
CREATE INDEX IX_PersonInstitutions_Institution ON dbo.PersonInstitutions (InstitutionId);
-- One live affiliation per pair; tombstones may repeat it (delete, then insert again).
CREATE UNIQUE INDEX UX_PersonInstitutions_Live ON dbo.PersonInstitutions (PersonId, InstitutionId) WHERE Deleted = 0;

CREATE INDEX IX_Courses_Status          ON dbo.Courses (Status, ExternalId);
CREATE INDEX IX_Courses_ModifiedAt      ON dbo.Courses (ModifiedAt);
CREATE INDEX IX_Courses_Institution     ON dbo.Courses (InstitutionId, ExternalId);
CREATE INDEX IX_Courses_SchoolYear      ON dbo.Courses (SchoolYearId, ExternalId);

CREATE INDEX IX_Groups_Status           ON dbo.Groups (Status, ExternalId);
CREATE INDEX IX_Groups_ModifiedAt       ON dbo.Groups (ModifiedAt);
CREATE INDEX IX_Groups_Institution      ON dbo.Groups (InstitutionId, ExternalId);
CREATE INDEX IX_Groups_SchoolYear       ON dbo.Groups (SchoolYearId, ExternalId);
CREATE INDEX IX_Groups_Course           ON dbo.Groups (CourseId, ExternalId);
CREATE INDEX IX_Groups_Template         ON dbo.Groups (TemplateId);

-- GroupId makes the index cover the Teams-rule join, so skipping rows of a deep page (the
-- service's deferred-join paging) never reads the table.
CREATE INDEX IX_GroupMembers_Status     ON dbo.GroupMembers (Status, ExternalId) INCLUDE (GroupId);
CREATE INDEX IX_GroupMembers_ModifiedAt ON dbo.GroupMembers (ModifiedAt);
CREATE INDEX IX_GroupMembers_Group      ON dbo.GroupMembers (GroupId, ExternalId);
CREATE INDEX IX_GroupMembers_Person     ON dbo.GroupMembers (PersonId, ExternalId);
CREATE UNIQUE INDEX UX_GroupMembers_Live ON dbo.GroupMembers (GroupId, PersonId) WHERE Deleted = 0;

CREATE INDEX IX_ContactRelations_Student ON dbo.ContactRelations (StudentId);
CREATE INDEX IX_ContactRelations_Contact ON dbo.ContactRelations (ContactId);
CREATE UNIQUE INDEX UX_ContactRelations_Live ON dbo.ContactRelations (StudentId, ContactId) WHERE Deleted = 0;
GO

-- ============================================================================================
-- Tombstones: a DELETE marks the rows deleted with a fresh stamp instead. The UPDATE fires the
-- tables' update triggers, which cascade.
-- ============================================================================================

CREATE OR ALTER TRIGGER dbo.TR_Institutions_Tombstone ON dbo.Institutions INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.Institutions t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_SchoolYears_Tombstone ON dbo.SchoolYears INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.SchoolYears t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Periods_Tombstone ON dbo.Periods INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.Periods t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Persons_Tombstone ON dbo.Persons INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.Persons t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_PersonInstitutions_Tombstone ON dbo.PersonInstitutions INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.PersonInstitutions t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_GroupTemplates_Tombstone ON dbo.GroupTemplates INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.GroupTemplates t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Courses_Tombstone ON dbo.Courses INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.Courses t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Groups_Tombstone ON dbo.Groups INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.Groups t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_GroupMembers_Tombstone ON dbo.GroupMembers INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.GroupMembers t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_ContactRelations_Tombstone ON dbo.ContactRelations INSTEAD OF DELETE AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    UPDATE t
       SET Deleted = 1,
           ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, t.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, t.ModifiedAt) END
      FROM dbo.ContactRelations t
      JOIN deleted d ON d.Id = t.Id
     WHERE t.Deleted = 0;
END;
GO

-- ============================================================================================
-- Update triggers: immutable ids, touch, then cascades and owner bumps. Owners only move forward
-- (ModifiedAt < stamp), so bulk loads whose links are not newer than their owners write nothing.
-- ============================================================================================

CREATE OR ALTER TRIGGER dbo.TR_Institutions_Update ON dbo.Institutions AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'Institutions.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.Institutions t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_SchoolYears_Update ON dbo.SchoolYears AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'SchoolYears.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.SchoolYears t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- A period shows its school year's end year as schoolYear.
    UPDATE p
       SET ModifiedAt = t.ModifiedAt
      FROM dbo.Periods p
      JOIN dbo.SchoolYears t ON t.Id = p.SchoolYearId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.EndDate <> d.EndDate AND p.ModifiedAt < t.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Periods_Update ON dbo.Periods AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'Periods.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.Periods t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- class.terms[] are the live halves of a group's school year: bump the groups of the old and
    -- the new year when a period moves, changes type or is deleted.
    UPDATE g
       SET ModifiedAt = x.Stamp
      FROM dbo.Groups g
      JOIN (SELECT s.SchoolYearId, MAX(s.Stamp) AS Stamp
              FROM (SELECT i.SchoolYearId, t.ModifiedAt AS Stamp
                      FROM inserted i JOIN deleted d ON d.Id = i.Id JOIN dbo.Periods t ON t.Id = i.Id
                     WHERE i.SchoolYearId <> d.SchoolYearId OR i.PeriodType <> d.PeriodType OR i.Deleted <> d.Deleted
                    UNION ALL
                    SELECT d.SchoolYearId, t.ModifiedAt
                      FROM inserted i JOIN deleted d ON d.Id = i.Id JOIN dbo.Periods t ON t.Id = i.Id
                     WHERE i.SchoolYearId <> d.SchoolYearId OR i.PeriodType <> d.PeriodType OR i.Deleted <> d.Deleted) s
             GROUP BY s.SchoolYearId) x ON x.SchoolYearId = g.SchoolYearId
     WHERE g.ModifiedAt < x.Stamp;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Persons_Update ON dbo.Persons AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'Persons.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.Persons t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- Cascade: status comes from a row's own Deleted flag, so a deleted person's memberships and
    -- contact relations are deleted with the person's (now effective) stamp.
    UPDATE m
       SET Deleted = 1, ModifiedAt = t.ModifiedAt
      FROM dbo.GroupMembers m
      JOIN dbo.Persons t ON t.Id = m.PersonId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.Deleted = 1 AND d.Deleted = 0 AND m.Deleted = 0;
    -- Fires the relation trigger, which bumps the other party (its agents[] changed).
    UPDATE r
       SET Deleted = 1, ModifiedAt = t.ModifiedAt
      FROM dbo.ContactRelations r
      JOIN dbo.Persons t ON t.Id = r.StudentId OR t.Id = r.ContactId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.Deleted = 1 AND d.Deleted = 0 AND r.Deleted = 0;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_PersonInstitutions_Update ON dbo.PersonInstitutions AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'PersonInstitutions.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.PersonInstitutions t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- user.orgs[] lives here: bump the old and the new person.
    UPDATE p
       SET ModifiedAt = x.Stamp
      FROM dbo.Persons p
      JOIN (SELECT s.PersonId, MAX(s.Stamp) AS Stamp
              FROM (SELECT i.PersonId, t.ModifiedAt AS Stamp FROM inserted i JOIN dbo.PersonInstitutions t ON t.Id = i.Id
                    UNION ALL
                    SELECT d.PersonId, t.ModifiedAt FROM deleted d JOIN dbo.PersonInstitutions t ON t.Id = d.Id) s
             GROUP BY s.PersonId) x ON x.PersonId = p.Id
     WHERE p.ModifiedAt < x.Stamp;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_GroupTemplates_Update ON dbo.GroupTemplates AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'GroupTemplates.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.GroupTemplates t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- A template decides classType and whether its groups (and memberships) are classes at all.
    UPDATE g
       SET ModifiedAt = t.ModifiedAt
      FROM dbo.Groups g
      JOIN dbo.GroupTemplates t ON t.Id = g.TemplateId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE EXISTS (SELECT i.OrganizationType, i.TeamsTemplate EXCEPT SELECT d.OrganizationType, d.TeamsTemplate)
       AND g.ModifiedAt < t.ModifiedAt;
    UPDATE m
       SET ModifiedAt = t.ModifiedAt
      FROM dbo.GroupMembers m
      JOIN dbo.Groups g ON g.Id = m.GroupId
      JOIN dbo.GroupTemplates t ON t.Id = g.TemplateId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE ((i.TeamsTemplate IS NULL AND d.TeamsTemplate IS NOT NULL)
            OR (i.TeamsTemplate IS NOT NULL AND d.TeamsTemplate IS NULL))
       AND m.ModifiedAt < t.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Courses_Update ON dbo.Courses AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'Courses.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.Courses t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- A class shows its course's subjects.
    UPDATE g
       SET ModifiedAt = t.ModifiedAt
      FROM dbo.Groups g
      JOIN dbo.Courses t ON t.Id = g.CourseId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE EXISTS (SELECT i.Subject, i.SubjectCode EXCEPT SELECT d.Subject, d.SubjectCode)
       AND g.ModifiedAt < t.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Groups_Update ON dbo.Groups AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'Groups.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.Groups t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- Cascade: a deleted group's memberships are deleted with the group's stamp.
    UPDATE m
       SET Deleted = 1, ModifiedAt = t.ModifiedAt
      FROM dbo.GroupMembers m
      JOIN dbo.Groups t ON t.Id = m.GroupId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.Deleted = 1 AND d.Deleted = 0 AND m.Deleted = 0;
    -- An enrollment shows its group's school and exists only while the template is Teams-enabled.
    UPDATE m
       SET ModifiedAt = t.ModifiedAt
      FROM dbo.GroupMembers m
      JOIN dbo.Groups t ON t.Id = m.GroupId
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE (i.InstitutionId <> d.InstitutionId OR i.TemplateId <> d.TemplateId)
       AND m.ModifiedAt < t.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_GroupMembers_Update ON dbo.GroupMembers AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'GroupMembers.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.GroupMembers t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_ContactRelations_Update ON dbo.ContactRelations AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- An UPDATE of no rows still fires; stop here (this also ends any recursion).
    IF NOT EXISTS (SELECT 1 FROM inserted) RETURN;
    -- A changed sourcedId would look to SDS like a deletion nobody announced.
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.Id = i.Id WHERE i.ExternalId <> d.ExternalId)
    BEGIN
        THROW 50001, N'ContactRelations.ExternalId is immutable', 1;
    END;
    DECLARE @now datetime2(3) = SYSUTCDATETIME();
    -- Touch: an update that did not move ModifiedAt forward gets FRESH(old).
    UPDATE t
       SET ModifiedAt = CASE WHEN @now > DATEADD(millisecond, 1, d.ModifiedAt) THEN @now ELSE DATEADD(millisecond, 1, d.ModifiedAt) END
      FROM dbo.ContactRelations t
      JOIN inserted i ON i.Id = t.Id
      JOIN deleted d ON d.Id = i.Id
     WHERE i.ModifiedAt <= d.ModifiedAt;
    -- user.agents[] lives here and shows on both persons, before and after the change.
    UPDATE p
       SET ModifiedAt = x.Stamp
      FROM dbo.Persons p
      JOIN (SELECT s.PersonId, MAX(s.Stamp) AS Stamp
              FROM (SELECT i.StudentId AS PersonId, t.ModifiedAt AS Stamp FROM inserted i JOIN dbo.ContactRelations t ON t.Id = i.Id
                    UNION ALL
                    SELECT i.ContactId, t.ModifiedAt FROM inserted i JOIN dbo.ContactRelations t ON t.Id = i.Id
                    UNION ALL
                    SELECT d.StudentId, t.ModifiedAt FROM deleted d JOIN dbo.ContactRelations t ON t.Id = d.Id
                    UNION ALL
                    SELECT d.ContactId, t.ModifiedAt FROM deleted d JOIN dbo.ContactRelations t ON t.Id = d.Id) s
             GROUP BY s.PersonId) x ON x.PersonId = p.Id
     WHERE p.ModifiedAt < x.Stamp;
END;
GO


-- ============================================================================================
-- Insert triggers: new link rows bump their owners; session ids are unique across both tables.
-- ============================================================================================

CREATE OR ALTER TRIGGER dbo.TR_PersonInstitutions_Insert ON dbo.PersonInstitutions AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    UPDATE p
       SET ModifiedAt = x.Stamp
      FROM dbo.Persons p
      JOIN (SELECT PersonId, MAX(ModifiedAt) AS Stamp FROM inserted GROUP BY PersonId) x ON x.PersonId = p.Id
     WHERE p.ModifiedAt < x.Stamp;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_ContactRelations_Insert ON dbo.ContactRelations AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    UPDATE p
       SET ModifiedAt = x.Stamp
      FROM dbo.Persons p
      JOIN (SELECT s.PersonId, MAX(s.Stamp) AS Stamp
              FROM (SELECT StudentId AS PersonId, ModifiedAt AS Stamp FROM inserted
                    UNION ALL
                    SELECT ContactId, ModifiedAt FROM inserted) s
             GROUP BY s.PersonId) x ON x.PersonId = p.Id
     WHERE p.ModifiedAt < x.Stamp;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_Periods_Insert ON dbo.Periods AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM inserted i JOIN dbo.SchoolYears y ON y.ExternalId = i.ExternalId)
    BEGIN
        THROW 50002, N'ExternalId already used by a school year', 1;
    END;
    -- A new half is a new class term for every group of its school year.
    UPDATE g
       SET ModifiedAt = x.Stamp
      FROM dbo.Groups g
      JOIN (SELECT SchoolYearId, MAX(ModifiedAt) AS Stamp FROM inserted
             WHERE PeriodType = N'Halvår' GROUP BY SchoolYearId) x ON x.SchoolYearId = g.SchoolYearId
     WHERE g.ModifiedAt < x.Stamp;
END;
GO

CREATE OR ALTER TRIGGER dbo.TR_SchoolYears_Insert ON dbo.SchoolYears AFTER INSERT AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM inserted i JOIN dbo.Periods p ON p.ExternalId = i.ExternalId)
    BEGIN
        THROW 50002, N'ExternalId already used by a period', 1;
    END;
END;
GO
