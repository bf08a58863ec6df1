-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" DATETIME;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "archivedAt" DATETIME;

-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN "archivedAt" DATETIME;

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN "archivedAt" DATETIME;

-- CreateTable
CREATE TABLE "ReviewDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "auditId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "actorEmail" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "conditions" TEXT NOT NULL DEFAULT '',
    "reportSha256" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewDecision_auditId_fkey" FOREIGN KEY ("auditId") REFERENCES "Audit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Event" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "projectId" TEXT,
    "summary" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT,
    "ssoIssuer" TEXT,
    "ssoSubject" TEXT,
    "role" TEXT NOT NULL DEFAULT 'reviewer',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("createdAt", "disabled", "email", "id", "name", "passwordHash", "role", "ssoIssuer", "ssoSubject", "updatedAt") SELECT "createdAt", "disabled", "email", "id", "name", "passwordHash", "role", "ssoIssuer", "ssoSubject", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");
CREATE TABLE "new_Audit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT,
    "modelVersionId" TEXT,
    "datasetId" TEXT,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "progress" REAL NOT NULL DEFAULT 0,
    "report" JSONB,
    "passed" BOOLEAN,
    "error" TEXT,
    "message" TEXT,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdBy" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "reviewState" TEXT NOT NULL DEFAULT 'draft',
    "reviewerId" TEXT,
    "reportSha256" TEXT,
    "rerunOfId" TEXT,
    "archivedAt" DATETIME,
    CONSTRAINT "Audit_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Audit_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Audit_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Audit_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Audit_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Audit_rerunOfId_fkey" FOREIGN KEY ("rerunOfId") REFERENCES "Audit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Audit" ("attempts", "cancelRequested", "createdAt", "createdBy", "createdById", "datasetId", "error", "finishedAt", "id", "leaseExpiresAt", "leaseOwner", "message", "modelVersionId", "name", "passed", "phase", "progress", "projectId", "report", "spec", "startedAt", "status", "updatedAt") SELECT "attempts", "cancelRequested", "createdAt", "createdBy", "createdById", "datasetId", "error", "finishedAt", "id", "leaseExpiresAt", "leaseOwner", "message", "modelVersionId", "name", "passed", "phase", "progress", "projectId", "report", "spec", "startedAt", "status", "updatedAt" FROM "Audit";
DROP TABLE "Audit";
ALTER TABLE "new_Audit" RENAME TO "Audit";
CREATE INDEX "Audit_status_createdAt_idx" ON "Audit"("status", "createdAt");
CREATE INDEX "Audit_projectId_createdAt_idx" ON "Audit"("projectId", "createdAt");
CREATE INDEX "Audit_reportSha256_idx" ON "Audit"("reportSha256");
CREATE INDEX "Audit_reviewState_reviewerId_idx" ON "Audit"("reviewState", "reviewerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ReviewDecision_auditId_createdAt_idx" ON "ReviewDecision"("auditId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Event_prevHash_key" ON "Event"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "Event_hash_key" ON "Event"("hash");

-- CreateIndex
CREATE INDEX "Event_targetType_targetId_idx" ON "Event"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "Event_actorId_at_idx" ON "Event"("actorId", "at");

-- CreateIndex
CREATE INDEX "Event_action_at_idx" ON "Event"("action", "at");
