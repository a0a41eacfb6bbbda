/**
 * Objects for values keyed by names from input files (a record's values, a row's attributes).
 *
 * Rule: such an object inherits nothing, so a column named `__proto__`, `constructor`, `toString` or
 * `hasOwnProperty` is stored, listed (`Object.entries`) and serialised (`JSON.stringify`) like any other.
 * With `{}`, `values["__proto__"] = "x"` would call Object.prototype's `__proto__` setter and the value
 * would be lost. `Object.create(null)` is safe too, but V8 keeps such objects in slow dictionary mode
 * (about 2x the time of reading a CSV file); objects made by a constructor whose prototype is
 * `Object.create(null)` inherit nothing either and stay fast.
 */

interface EmptyConstructor {
  new (): object;
  prototype: object;
}

// A function, not a class: a class prototype has a `constructor` property its objects would inherit.
const Empty = function Empty() {} as unknown as EmptyConstructor;
Empty.prototype = Object.create(null);

/** A new object without inherited properties, to fill with values keyed by input names. */
export function emptyRecord<V>(): Record<string, V> {
  return new Empty() as Record<string, V>;
}
