import { describe, it, expect } from 'vitest';
import { dict, own, reservedKeyPath, reservedName, sortedDict } from './dict';

/** Every name a plain object answers for without being told: the attack surface of `o[name]`. */
const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

describe('dict and own', () => {
	it('a dict answers only for what was put in it, for every Object.prototype member name', () => {
		const d = dict<number>([['claim', 1]]);
		for (const name of PROTOTYPE_NAMES) {
			expect(d[name], name).toBeUndefined();
			expect(name in d, name).toBe(false);
		}
		expect(d.claim).toBe(1);
	});

	it('stores __proto__ and constructor as ordinary keys, and JSON keeps them', () => {
		const d = dict<number>([['__proto__', 1], ['constructor', 2]]);
		expect(Object.keys(d)).toEqual(['__proto__', 'constructor']);
		expect(d['__proto__']).toBe(1);
		expect(JSON.stringify(d)).toBe('{"__proto__":1,"constructor":2}');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('own reads parsed JSON without its prototype: a missing name is undefined, a present one its value', () => {
		const members = JSON.parse('{"ann1":"annotator","toString":"lead"}') as Record<string, string>;
		expect(own(members, 'constructor')).toBeUndefined();
		expect(own(members, 'hasOwnProperty')).toBeUndefined();
		expect(own(members, 'ann1')).toBe('annotator');
		expect(own(members, 'toString')).toBe('lead');
		expect(own(null, 'ann1')).toBeUndefined();
		// what the plain lookup gives instead
		expect(typeof members['constructor']).toBe('function');
	});

	it('sortedDict orders keys by code unit, __proto__ included as an own key', () => {
		const counts = new Map([['toString', 2], ['claim', 1], ['Zed', 1], ['__proto__', 1]]);
		const d = sortedDict(counts);
		expect(Object.keys(d)).toEqual(['Zed', '__proto__', 'claim', 'toString']);
		expect(Object.getPrototypeOf(d)).toBeNull();
	});
});

describe('reserved names', () => {
	it('only __proto__ is reserved; the other Object.prototype names are ordinary names', () => {
		expect(reservedName('__proto__')).toMatch(/"__proto__" is reserved/);
		for (const name of PROTOTYPE_NAMES.filter((n) => n !== '__proto__')) expect(reservedName(name), name).toBeNull();
	});

	it('finds a __proto__ key at any depth of parsed JSON and names its path', () => {
		expect(reservedKeyPath(JSON.parse('{"a":{"b":[1,{"__proto__":2}]}}'), 'meta')).toBe('meta.a.b[1].__proto__');
		expect(reservedKeyPath(JSON.parse('{"__proto__":{}}'), 'meta')).toBe('meta.__proto__');
		expect(reservedKeyPath(JSON.parse('{"constructor":{"toString":[{"valueOf":1}]}}'), 'meta')).toBeNull();
		expect(reservedKeyPath('text', 'meta')).toBeNull();
	});

	it('walks 100,000 levels without overflowing the stack', () => {
		const top: Record<string, unknown> = {};
		let at = top;
		for (let i = 0; i < 100_000; i++) at = (at.x = {}) as Record<string, unknown>;
		expect(reservedKeyPath(top, 'meta')).toBeNull();
		Object.defineProperty(at, '__proto__', { value: 1, enumerable: true });
		expect(reservedKeyPath(top, 'm')).toBe('m' + '.x'.repeat(100_000) + '.__proto__');
	});
});
