import { z } from 'zod';

// Zod compiles object validators with `new Function` unless told not to, and it probes for that
// when the first object schema is built. Even the caught probe is reported as a violation of the
// app's Content-Security-Policy (`script-src 'self'`, no 'unsafe-eval'), so this must run before
// any schema exists: main.tsx imports this module first.
z.config({ jitless: true });
