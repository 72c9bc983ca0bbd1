import type { Authenticator } from '../../platform/http';
import { Unauthenticated } from '../../platform/http';
import type { AuthService } from './auth.service';

/** Reads `Authorization: Bearer <access token>`. */
export function bearerAuthenticator(auth: AuthService): Authenticator {
  return async (req) => {
    const [scheme, token] = (req.get('Authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) throw new Unauthenticated();
    return auth.authenticate(token);
  };
}
