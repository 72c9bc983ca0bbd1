/** mulberry32: a small seeded generator, so a failing property test replays with its seed. */
export function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { int, chance: (p: number) => next() < p, pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)]! };
}

/** The seed of a property test's run: PROPERTY_SEED replays one. */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 1_000_000);
