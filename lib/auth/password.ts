// Password hashing with bcrypt (bcryptjs: no native build).

import bcrypt from "bcryptjs";
import { randomBytes } from "node:crypto";

const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A random password for a generated account (printed once). */
export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}
