import { z } from '../../platform/openapi';
import { currencyCode, hexColor, isoDate, locale, timeZone } from '../../platform/validation';
import { THEMES } from './users.entity';

const EARLIEST_BIRTHDAY = '1900-01-01';

export const username = z
  .string()
  .regex(/^[A-Za-z0-9_.]{3,30}$/, 'must be 3–30 letters, digits, "_" or "."')
  .openapi({ example: 'ada.l' });

const personName = z.string().trim().min(1).max(100);

/** A date in the past (today does not count) and not before 1900. */
export const birthday = isoDate
  .refine((date) => date < new Date().toISOString().slice(0, 10), 'must be a date in the past')
  .refine((date) => date >= EARLIEST_BIRTHDAY, `must not be before ${EARLIEST_BIRTHDAY}`);

export const Settings = z
  .object({ theme: z.enum(THEMES), locale, currency: currencyCode, timeZone })
  .openapi('Settings');

export const Profile = z
  .object({
    id: z.uuid(),
    email: z.email(),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    birthday: isoDate.nullable(),
    age: z.number().int().nullable().openapi({ description: 'Derived from the birthday, in whole years.' }),
    onboarded: z.boolean(),
    settings: Settings,
  })
  .openapi('Profile');

export const ProfileUpdate = z
  .object({
    username,
    firstName: personName,
    lastName: personName,
    birthday,
    settings: Settings.partial(),
  })
  .partial()
  .strict()
  .openapi('ProfileUpdate');

const NewCategory = z.object({ name: z.string().trim().min(1).max(40), color: hexColor.default('#607d8b'), icon: z.string().min(1).max(60).default('pricetag-outline') });

export const Onboarding = z
  .object({
    username,
    firstName: personName,
    lastName: personName,
    birthday,
    start: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('single') }),
      z.object({ mode: z.literal('join'), inviteToken: z.string().min(1) }),
      z.object({ mode: z.literal('create'), groupName: z.string().trim().min(1).max(80), baseCurrency: currencyCode.optional() }),
    ]),
    extraCategories: z.array(NewCategory).max(30).default([]),
    settings: Settings.partial().default({}),
  })
  .strict()
  .openapi('Onboarding');

export const OnboardingResult = z
  .object({ profile: Profile, groupId: z.uuid().nullable().openapi({ description: 'The group joined or created, if any.' }) })
  .openapi('OnboardingResult', { description: 'Refresh the tokens afterwards: the new access token carries the completed onboarding.' });

export const DeletionConfirmation = z.object({ token: z.string().min(1) }).strict().openapi('DeletionConfirmation');
