// Registration shown one way (protocol/registration.ts): deputies registered of the seats, the
// head apart, from the demo council's real views — the figure every page and overlay.json shows.
import { describe, expect, it } from 'vitest';
import { registration, registrationShort, registrationText } from '../../protocol/registration.ts';
import { COMMITTEE, COMMITTEE_SITTING, demoCouncil, deputies, openSitting, register, unregister } from '../support/givenWhenThen.ts';

describe('registration of the demo council', () => {
  it('counts 37 deputies of 42 seats with the mayor apart, whatever the roster length (43)', () => {
    const record = demoCouncil().given(openSitting(), register(['mayor', ...deputies(37)]));
    const view = record.sitting();
    expect(view.roster).toHaveLength(43);
    expect(view.attendance.present).toHaveLength(38);
    const r = registration(view);
    expect(r).toEqual({ registered: 37, seats: 42, head: { present: true }, needed: 22, met: true, kind: 'deputies' });
    expect(registrationText(r, 'uk')).toBe('Зареєстровано 37 з 42 депутатів + міський голова');
    expect(registrationText(r, 'en')).toBe('37 of 42 deputies registered + the mayor');
    expect(registrationShort(r, 'uk')).toBe('37/42 + голова');
  });

  it('says so when the mayor is not registered, and that the quorum is missing', () => {
    const record = demoCouncil().given(openSitting(), register(['mayor', ...deputies(21)]), unregister(['mayor']));
    const r = registration(record.sitting());
    expect(r).toMatchObject({ registered: 21, head: { present: false }, met: false });
    expect(registrationText(r, 'uk')).toBe('Зареєстровано 21 з 42 депутатів, міського голови немає');
    expect(registrationShort(r, 'uk')).toBe('21/42');
  });

  it('counts every member of a committee against its seats, no head apart', () => {
    const record = demoCouncil().given(register(COMMITTEE.slice(0, 4), COMMITTEE_SITTING));
    const r = registration(record.sitting(COMMITTEE_SITTING));
    expect(r).toEqual({ registered: 4, seats: 7, head: null, needed: 4, met: true, kind: 'members' });
    expect(registrationText(r, 'uk')).toBe('Зареєстровано 4 з 7 членів');
  });

  it('agrees in number with the seats: "з 41 депутата", "з 11 депутатів"', () => {
    const base = { registered: 30, head: null, needed: 21, met: true, kind: 'deputies' as const };
    expect(registrationText({ ...base, seats: 41 }, 'uk')).toBe('Зареєстровано 30 з 41 депутата');
    expect(registrationText({ ...base, seats: 11 }, 'uk')).toBe('Зареєстровано 30 з 11 депутатів');
    expect(registrationText({ ...base, seats: 21 }, 'en')).toBe('30 of 21 deputies registered');
  });
});
