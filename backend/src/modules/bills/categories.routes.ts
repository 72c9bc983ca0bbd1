import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { hexColor } from '../../platform/validation';
import type { CategoriesService } from './categories.service';

export const Category = z
  .object({ id: z.uuid(), name: z.string(), color: z.string(), icon: z.string(), userId: z.uuid().nullable(), groupId: z.uuid().nullable() })
  .openapi('Category');

const name = z.string().trim().min(1).max(40);
const icon = z.string().min(1).max(60).openapi({ description: 'Ionicons name, e.g. cart-outline.' });
const NewCategory = z
  .object({ name, color: hexColor.default('#607d8b'), icon: icon.default('pricetag-outline'), groupId: z.uuid().optional().openapi({ description: 'Absent: a personal category.' }) })
  .strict()
  .openapi('NewCategory');
const CategoryChanges = z.object({ name, color: hexColor, icon }).partial().strict().openapi('CategoryChanges');
const CategoryId = z.object({ id: z.uuid() });

export function registerCategoriesRoutes(api: ApiRouter, categories: CategoriesService): void {
  api.route({
    method: 'get',
    path: '/api/v1/categories',
    access: 'onboarded',
    summary: 'Your personal categories and those of your groups (or one group’s)',
    tags: ['categories'],
    query: z.object({ groupId: z.uuid().optional() }).strict(),
    responses: { 200: { description: 'Categories by name.', schema: z.object({ items: z.array(Category) }) }, 404: { description: 'CATEGORY_NOT_FOUND (no such group).' } },
    handler: async ({ actor, query }) => ({ status: 200, body: { items: await categories.listVisible(actor.userId, query.groupId) } }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/categories',
    access: 'onboarded',
    summary: 'Add a personal category, or a group category (admins)',
    tags: ['categories'],
    body: NewCategory,
    responses: { 201: { description: 'Added.', schema: Category }, 403: { description: 'CATEGORY_CHANGE_NOT_ALLOWED.' }, 409: { description: 'CATEGORY_NAME_TAKEN.' } },
    handler: async ({ actor, body }) => ({ status: 201, body: await categories.create(actor.userId, body) }),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/categories/:id',
    access: 'onboarded',
    summary: 'Rename or restyle a category',
    tags: ['categories'],
    params: CategoryId,
    body: CategoryChanges,
    responses: { 200: { description: 'Changed.', schema: Category }, 404: { description: 'CATEGORY_NOT_FOUND.' }, 409: { description: 'CATEGORY_NAME_TAKEN.' } },
    handler: async ({ actor, params, body }) => ({ status: 200, body: await categories.update(actor.userId, params.id, body) }),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/categories/:id',
    access: 'onboarded',
    summary: 'Delete a category; when bills use it, say where they go',
    tags: ['categories'],
    params: CategoryId,
    query: z.object({ moveTo: z.union([z.uuid(), z.literal('none')]).optional().openapi({ description: 'Another category of the same scope, or "none".' }) }).strict(),
    responses: { 204: { description: 'Deleted.' }, 409: { description: 'CATEGORY_IN_USE, with billCount.' }, 422: { description: 'CATEGORY_MOVE_TARGET_INVALID.' } },
    handler: async ({ actor, params, query }) => {
      const moveTo = query.moveTo === undefined ? undefined : query.moveTo === 'none' ? 'uncategorised' : { categoryId: query.moveTo };
      await categories.delete(actor.userId, params.id, moveTo);
      return { status: 204 };
    },
  });
}
