// Job definitions: a name, a version and a zod payload. Handlers are imported lazily by the
// worker, so the app never loads the engine.

import { z } from "zod";

export interface JobDefinition<P> {
  id: string;
  version: number;
  payload: z.ZodType<P>;
}

export const RUN_AUDIT = {
  id: "run-audit",
  version: 1,
  payload: z.object({ auditId: z.string().min(1) }),
} satisfies JobDefinition<{ auditId: string }>;

export type RunAuditPayload = z.infer<typeof RUN_AUDIT.payload>;
