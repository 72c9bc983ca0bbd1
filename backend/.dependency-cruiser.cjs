/** Architecture rules, checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make modules impossible to understand or test alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-only-through-index',
      severity: 'error',
      comment: "A module's insides are its own: other modules use its index.ts (or its events).",
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'app-uses-modules-through-index',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'platform-packages-only-through-index',
      severity: 'error',
      comment: 'Platform packages expose what they share through index.ts too.',
      from: { path: '^src/(?!platform/)|^src/platform/([^/]+)/' },
      to: { path: '^src/platform/[^/]+/', pathNot: ['^src/platform/$1/', '^src/platform/[^/]+/index\\.ts$'] },
    },
    {
      name: 'platform-does-not-know-modules',
      severity: 'error',
      comment: 'The platform serves every module; depending on one would invert the layers.',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'services-are-infrastructure-free',
      severity: 'error',
      comment: 'Services hold the rules and receive ports; adapters and routes talk to the infrastructure.',
      from: { path: '\\.service\\.ts$' },
      to: { path: '(^|/)node_modules/(express|kafkajs|ioredis|typeorm|pg|minio|nodemailer)/' },
    },
  ],
  options: {
    // Sibling workspaces (e.g. @spendcast/proto) resolve through their symlinks to ../<workspace>: not ours to check.
    doNotFollow: { path: ['node_modules', '^\\.\\./'] },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
