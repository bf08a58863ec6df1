import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

/** Awaits a service call; a NOT_FOUND error renders the 404 page. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
