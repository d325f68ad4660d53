// Preload for clock.test.ts (`node --import clock-shift.child.mjs …`): shifts this process's wall clock by
// TRAILBOARD_CLOCK_OFFSET_MS milliseconds (negative = set back), for Date.now() and `new Date()` alike, before
// any other module loads, as if the computer's clock had been changed between two runs of the app.
const offset = Number(process.env.TRAILBOARD_CLOCK_OFFSET_MS ?? '0');
if (!Number.isFinite(offset)) throw new Error(`TRAILBOARD_CLOCK_OFFSET_MS is not a number: ${process.env.TRAILBOARD_CLOCK_OFFSET_MS}`);

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const shiftedNow = (): number => realNow() + offset;

globalThis.Date = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget) {
    return Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget) as object;
  },
  apply() {
    return new RealDate(shiftedNow()).toString();
  },
  get(target, property, receiver) {
    return property === 'now' ? shiftedNow : Reflect.get(target, property, receiver);
  },
});

export {};
