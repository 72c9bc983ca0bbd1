import { SpendDailyEntity } from './insights.entity';
import { CreateSpendRollup1795561650000 } from './migrations/1795561650000-CreateSpendRollup';

export { SpendDailyEntity } from './insights.entity';
export { InsightsRepository } from './insights.repository';
export { registerInsightsRoutes } from './insights.routes';
export { cachedAnswersConsumer, insightsConsumer, servingModelConsumer } from './insights.consumer';
export { InsightsService } from './insights.service';
export { ServingModel } from './serving-model';
export { periodOf, today, type Interval, type Period } from './periods';
export const insightsEntities = [SpendDailyEntity];
export const insightsMigrations = [CreateSpendRollup1795561650000];
