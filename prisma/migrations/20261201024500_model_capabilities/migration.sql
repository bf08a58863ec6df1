-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN "capabilities" JSONB;
