import { z } from '../../../platform/openapi';

export const SignInStart = z
  .object({
    returnTo: z
      .string()
      .max(2048)
      .optional()
      .openapi({ description: 'Where to come back to; must start with an allowed prefix (AUTH_REDIRECT_ALLOWLIST). Default: PUBLIC_URL.', example: 'spendcast://auth/callback' }),
  })
  .openapi('SignInStart');

// Not strict: providers add their own parameters (scope, iss, session_state, …), which the code exchange may check.
export const ProviderCallback = z
  .object({
    code: z.string().max(4096).optional(),
    state: z.string().max(512).optional(),
    error: z.string().max(256).optional(),
    error_description: z.string().max(2048).optional(),
  })
  .openapi('ProviderCallback');

export const ProviderName = z.object({ provider: z.string().max(64).openapi({ example: 'acme' }) });

export const SignInMethods = z
  .object({
    password: z.boolean().openapi({ description: 'Email and password sign-in.' }),
    providers: z.array(
      z.object({
        id: z.string().openapi({ example: 'acme' }),
        label: z.string().openapi({ example: 'Acme SSO' }),
        startUrl: z.string().openapi({ description: 'Open in the browser (add ?returnTo=…).', example: '/api/v1/auth/oidc/acme' }),
      }),
    ),
  })
  .openapi('SignInMethods');
