import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import type { CategoriesService } from './categories.service';

export const Category = z
  .object({ id: z.uuid(), name: z.string(), color: z.string(), icon: z.string(), userId: z.uuid().nullable(), groupId: z.uuid().nullable() })
  .openapi('Category');

export function registerCategoriesRoutes(api: ApiRouter, categories: CategoriesService): void {
  api.route({
    method: 'get',
    path: '/api/v1/categories',
    access: 'onboarded',
    summary: 'Your personal categories and those of your groups',
    tags: ['categories'],
    responses: { 200: { description: 'Categories by name.', schema: z.object({ items: z.array(Category) }) } },
    handler: async ({ actor }) => ({ status: 200, body: { items: await categories.listVisible(actor.userId) } }),
  });
}
