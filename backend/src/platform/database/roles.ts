/**
 * The role every request runs as. It owns nothing and cannot bypass RLS; migrations create it
 * (without LOGIN) and grant it table privileges. Production gives it LOGIN and a password.
 */
export const APP_ROLE = 'spendcast_app';
