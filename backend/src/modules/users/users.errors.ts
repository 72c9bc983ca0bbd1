import { AppError } from '../../platform/http';

export class UsernameTaken extends AppError {
  readonly code = 'USERNAME_TAKEN';
  readonly status = 409;
  constructor() {
    super('This username is taken (usernames ignore case); choose another.');
  }
}

export class AlreadyOnboarded extends AppError {
  readonly code = 'ALREADY_ONBOARDED';
  readonly status = 409;
  constructor() {
    super('Onboarding is complete already; change your profile with PATCH /api/v1/me.');
  }
}

export class UserNotFound extends AppError {
  readonly code = 'USER_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('This account does not exist (any more).');
  }
}

export class DeletionLinkInvalid extends AppError {
  readonly code = 'DELETION_LINK_INVALID';
  readonly status = 410;
  constructor() {
    super('This confirmation link is invalid, expired or used; request a new one.');
  }
}

export class SoleAdminOfGroups extends AppError {
  readonly code = 'SOLE_ADMIN_OF_GROUPS';
  readonly status = 409;
  constructor(groups: Array<{ id: string; name: string }>) {
    super(`You are the only admin of ${groups.map((group) => `"${group.name}"`).join(', ')}: make another member admin or delete the group first.`);
    this.extensions.groups = groups;
  }
}
