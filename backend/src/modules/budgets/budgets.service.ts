import { randomUUID } from 'node:crypto';
import type { EventPublisher } from '../../platform/bus';
import { violatesUnique, type Transactions } from '../../platform/database';
import { fromMinor, InvalidAmount, toMinor } from '../../platform/money';
import { CategoryNotUsable, type BillChange, type BillChangeListener } from '../bills';
import { GroupNotFound, NotGroupAdmin } from '../groups';
import { periodOf, today } from '../insights';
import { BUDGET_THRESHOLDS, type BudgetPeriod } from './budgets.entity';
import { BudgetExists, BudgetNotFound } from './budgets.errors';
import type { BudgetRow, BudgetScope, BudgetsRepository, WithSpent } from './budgets.repository';

export interface NewBudget {
  groupId?: string;
  categoryId?: string | null;
  period: BudgetPeriod;
  amount: string;
}

export interface BudgetChanges {
  categoryId?: string | null;
  period?: BudgetPeriod;
  amount?: string;
}

export interface BudgetView {
  id: string;
  groupId: string | null;
  categoryId: string | null;
  period: BudgetPeriod;
  amount: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  spent: string;
  remaining: string;
  /** Spent as a percentage of the amount, one decimal. */
  percent: number;
  createdAt: string;
  updatedAt: string;
}

function toView(budget: BudgetRow & WithSpent): BudgetView {
  const money = (minor: bigint) => fromMinor(minor, budget.currency);
  return {
    id: budget.id,
    groupId: budget.groupId,
    categoryId: budget.categoryId,
    period: budget.period,
    amount: money(budget.amountMinor),
    currency: budget.currency,
    periodStart: budget.periodStart,
    periodEnd: budget.periodEnd,
    spent: money(budget.spentMinor),
    remaining: money(budget.amountMinor - budget.spentMinor),
    percent: Math.round((Number(budget.spentMinor) / Number(budget.amountMinor)) * 1000) / 10,
    createdAt: budget.createdAt.toISOString(),
    updatedAt: budget.updatedAt.toISOString(),
  };
}

export class BudgetsService {
  /** Raises threshold events in the transaction of the bill change that crossed them. */
  readonly billListener: BillChangeListener = { withinTransaction: (change) => this.raiseCrossedThresholds(change) };

  constructor(
    private readonly transactions: Transactions,
    private readonly budgets: BudgetsRepository,
    private readonly events: EventPublisher,
  ) {}

  /** The scope's budgets with what was spent in their period that contains `at` (default: today). */
  list(userId: string, query: { groupId?: string; at?: string }): Promise<BudgetView[]> {
    return this.transactions.run({ userId }, async () => {
      const scope = await this.scope(userId, query.groupId);
      const day = query.at ?? today(scope.timeZone);
      const rows = await this.budgets.listWithSpent(scope, { month: periodOf(day, 'month'), week: periodOf(day, 'week') });
      return rows.map(toView);
    });
  }

  /** A personal budget, or a group budget by one of the group's admins. */
  create(userId: string, input: NewBudget): Promise<BudgetView> {
    return this.transactions.run({ userId }, async () => {
      const scope = await this.scope(userId, input.groupId);
      if (!scope.isAdmin) throw new NotGroupAdmin();
      if (input.categoryId) await this.assertCategoryInScope(input.categoryId, scope);
      const id = randomUUID();
      await this.unique(() =>
        this.budgets.insert({
          id,
          groupId: scope.groupId,
          userId: scope.userId,
          categoryId: input.categoryId ?? null,
          period: input.period,
          amountMinor: this.amountMinor(input.amount, scope.currency).toString(),
          createdBy: userId,
        }),
      );
      return this.current(scope, id);
    });
  }

  update(userId: string, id: string, changes: BudgetChanges): Promise<BudgetView> {
    return this.transactions.run({ userId }, async () => {
      const { budget, scope } = await this.changeable(userId, id);
      if (changes.categoryId) await this.assertCategoryInScope(changes.categoryId, scope);
      const values = {
        ...(changes.categoryId !== undefined && { categoryId: changes.categoryId }),
        ...(changes.period !== undefined && { period: changes.period }),
        ...(changes.amount !== undefined && { amountMinor: this.amountMinor(changes.amount, budget.currency).toString() }),
      };
      await this.unique(() => this.budgets.update(id, values));
      return this.current(scope, id);
    });
  }

  delete(userId: string, id: string): Promise<void> {
    return this.transactions.run({ userId }, async () => {
      await this.changeable(userId, id);
      if (!(await this.budgets.delete(id))) throw new NotGroupAdmin();
    });
  }

  /**
   * For each budget the change may move whose current period holds a changed day: records and
   * announces each threshold the spending now reaches, once per budget, period and threshold.
   * Thresholds are not retracted when spending falls back.
   */
  private async raiseCrossedThresholds(change: BillChange): Promise<void> {
    const budgets = await this.budgets.affectedBy(change);
    if (budgets.length === 0) return;
    // Spending is read after the lock, so it includes what a concurrent bill just committed.
    await this.budgets.lockForAlerts(budgets.map((budget) => budget.id));
    const now = new Date();
    for (const budget of budgets) {
      const period = periodOf(today(budget.timeZone, now), budget.period);
      if (!change.days.some((day) => day >= period.start && day <= period.end)) continue;
      const spent = await this.budgets.spent(budget.id, period.start, period.end);
      for (const threshold of BUDGET_THRESHOLDS) {
        if (spent * 100n < budget.amountMinor * BigInt(threshold)) continue;
        if (!(await this.budgets.recordAlert(budget.id, period.start, threshold))) continue;
        await this.events.publish({
          scopeKey: budget.groupId ?? budget.userId ?? '',
          payload: {
            case: 'budgetThresholdCrossed',
            value: {
              budgetId: budget.id,
              groupId: budget.groupId ?? '',
              userId: budget.userId ?? '',
              categoryId: budget.categoryId ?? '',
              threshold,
              periodStart: period.start,
              spent: fromMinor(spent, budget.currency),
              amount: fromMinor(budget.amountMinor, budget.currency),
              currency: budget.currency,
            },
          },
        });
      }
    }
  }

  private async scope(userId: string, groupId: string | undefined): Promise<BudgetScope> {
    const scope = await this.budgets.scope(userId, groupId);
    if (!scope) throw new GroupNotFound();
    return scope;
  }

  /** A budget the user may see (404 otherwise) and change (403 for members of its group). */
  private async changeable(userId: string, id: string): Promise<{ budget: BudgetRow; scope: BudgetScope }> {
    const budget = await this.budgets.find(id);
    // The service's own copy of the visibility rule (row-level security enforces it again).
    if (!budget || (!budget.groupId && budget.userId !== userId)) throw new BudgetNotFound();
    const scope = await this.budgets.scope(userId, budget.groupId ?? undefined);
    if (!scope) throw new BudgetNotFound();
    if (!scope.isAdmin) throw new NotGroupAdmin();
    return { budget, scope };
  }

  private async current(scope: BudgetScope, id: string): Promise<BudgetView> {
    const day = today(scope.timeZone);
    const [row] = await this.budgets.listWithSpent(scope, { month: periodOf(day, 'month'), week: periodOf(day, 'week') }, id);
    return toView(row!);
  }

  private async assertCategoryInScope(categoryId: string, scope: BudgetScope): Promise<void> {
    if (!(await this.budgets.categoryInScope(categoryId, scope))) throw new CategoryNotUsable();
  }

  private amountMinor(amount: string, currency: string): bigint {
    const minor = toMinor(amount, currency);
    if (minor === undefined || minor <= 0n) throw new InvalidAmount(currency);
    return minor;
  }

  private async unique(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (violatesUnique(error, 'budgets_scope_key')) throw new BudgetExists();
      throw error;
    }
  }
}
