import { AppError } from '../../platform/http';

export class DuplicateCategory extends AppError {
  readonly code = 'CATEGORY_NAME_TAKEN';
  readonly status = 409;
  constructor(name: string) {
    super(`There is a category called "${name}" already.`);
  }
}

export class CategoryNotFound extends AppError {
  readonly code = 'CATEGORY_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('There is no such category, or you may not see it.');
  }
}

export class CategoryChangeNotAllowed extends AppError {
  readonly code = 'CATEGORY_CHANGE_NOT_ALLOWED';
  readonly status = 403;
  constructor() {
    super('Only a group admin may add, change or delete the group’s categories.');
  }
}

export class CategoryInUse extends AppError {
  readonly code = 'CATEGORY_IN_USE';
  readonly status = 409;
  constructor(billCount: number) {
    super(`${billCount} bill(s) use this category: say where they go with ?moveTo=<category id> (or moveTo=none to leave them uncategorised).`);
    this.extensions.billCount = billCount;
  }
}

export class MoveTargetInvalid extends AppError {
  readonly code = 'CATEGORY_MOVE_TARGET_INVALID';
  readonly status = 422;
  constructor() {
    super('The bills can move only to another category of the same scope.');
  }
}
