-- AlterTable
ALTER TABLE "User" ADD COLUMN "ssoIssuer" TEXT;
ALTER TABLE "User" ADD COLUMN "ssoSubject" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");
