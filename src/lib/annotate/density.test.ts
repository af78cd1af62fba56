import { describe, expect, it } from 'vitest';
import { densityCookie, densityCookieString, parseDensity } from './density';

describe('density', () => {
	it('reads only the two known values, comfortable by default', () => {
		expect(parseDensity('compact')).toBe('compact');
		expect(parseDensity('comfortable')).toBe('comfortable');
		expect(parseDensity(undefined)).toBe('comfortable');
		expect(parseDensity('toString')).toBe('comfortable');
	});
	it('keeps one cookie per username', () => {
		expect(densityCookie('ann1')).toBe('spanlab_density_ann1');
		expect(densityCookieString('ann.2', 'compact')).toBe('spanlab_density_ann.2=compact; Path=/; Max-Age=31536000; SameSite=Lax');
	});
});
