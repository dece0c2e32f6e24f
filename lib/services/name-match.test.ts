import { describe, expect, it } from "vitest";
import { looseServiceNameKey, nameCloseness, serviceNameKey } from "./name-match";

// One table for the one rule: each row's names must share a key; the last group must not.
const same: [string, string[]][] = [
  ["case", ["Herrenhaarschnitt", "herrenhaarschnitt", "HERRENHAARSCHNITT", "herrenHAARSCHNITT"]],
  [
    "spacing and punctuation",
    ["Herren Haarschnitt", " Herren-Haarschnitt ", "herren_haar schnitt", "Herren  Haarschnitt"],
  ],
  ["commas", ["Waschen,  Schneiden,Föhnen", "Waschen, Schneiden, Föhnen"]],
  ["umlauts", ["Föhnen & Styling", "Foehnen & Styling", "FÖHNEN & STYLING"]],
  ["capital umlauts", ["GLÄTTUNG", "Glaettung", "glättung"]],
  ["Ü at the start", ["Übergangsschnitt", "uebergangsschnitt"]],
  ["ß, ẞ and ss", ["Fußpflege", "FUẞPFLEGE", "Fusspflege"]],
  ["& and und", ["Augenbrauen & Wimpern färben", "Augenbrauen und Wimpern faerben"]],
  ["+ and und", ["Waschen + Föhnen", "Waschen und Föhnen", "Waschen & Föhnen"]],
  ["dash styles", ["Färben – Einwirkzeit", "Färben - Einwirkzeit"]],
  ["accents", ["Café", "Cafe", "CAFÉ"]],
  ["æ and œ", ["Cæsar", "caesar"]],
];

describe("serviceNameKey", () => {
  it.each(same)("treats %s as one name", (_, names) => {
    expect(new Set(names.map(serviceNameKey)).size).toBe(1);
  });

  it("keeps different services apart", () => {
    const names = [
      "Herrenhaarschnitt",
      "Damenhaarschnitt",
      "Kinderhaarschnitt",
      "Beratung 30 min",
      "Kurzberatung 15 min",
    ];
    expect(new Set(names.map(serviceNameKey)).size).toBe(names.length);
  });

  it("spells umlauts out and keeps letters of other scripts", () => {
    expect(serviceNameKey("Strähnchen")).toBe("straehnchen");
    expect(serviceNameKey("Стрижка")).toBe("стрижка");
  });
});

describe("looseServiceNameKey", () => {
  it.each([
    ["Fohnen & Styling", "Föhnen & Styling"],
    ["Strahnchen", "Strähnchen"],
    ["Fuspflege", "Fußpflege"],
  ])("matches %s with %s", (typed, name) => {
    expect(looseServiceNameKey(typed)).toBe(looseServiceNameKey(name));
  });
});

describe("nameCloseness", () => {
  it.each([
    ["Haarschnitt", "Herrenhaarschnitt"],
    ["Herenhaarschnitt", "Herrenhaarschnitt"],
  ])("suggests %s for %s", (query, name) => {
    expect(nameCloseness(query, name)).toEqual(expect.any(Number));
  });

  it("ignores distant names and ranks the closer one first", () => {
    expect(nameCloseness("Impfung", "Balayage")).toBeNull();
    expect(nameCloseness("Herenhaarschnitt", "Herrenhaarschnitt")!).toBeLessThan(
      nameCloseness("Herenhaarschnitt", "Damenhaarschnitt") ?? Infinity,
    );
  });
});
