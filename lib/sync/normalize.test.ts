import { describe, expect, it } from "vitest";
import { normalizeName } from "./normalize";

describe("normalizeName", () => {
  it("ignores case and spacing", () => {
    expect(normalizeName("  Herrenhaarschnitt ")).toBe(normalizeName("herrenHAARSCHNITT"));
    expect(normalizeName("Waschen,  Schneiden,Föhnen")).toBe(normalizeName("Waschen, Schneiden, Föhnen"));
  });

  it("treats umlauts and their ae/oe/ue spellings as equal, in both cases", () => {
    expect(normalizeName("Föhnen & Styling")).toBe(normalizeName("Foehnen & Styling"));
    expect(normalizeName("GLÄTTUNG")).toBe(normalizeName("Glaettung"));
    expect(normalizeName("Strähnchen")).toBe("straehnchen");
    expect(normalizeName("Übergangsschnitt")).toBe(normalizeName("uebergangsschnitt"));
  });

  it("treats ß, ẞ and ss as equal", () => {
    expect(normalizeName("Fußpflege")).toBe("fusspflege");
    expect(normalizeName("FUẞPFLEGE")).toBe("fusspflege");
    expect(normalizeName("Fusspflege")).toBe("fusspflege");
  });

  it("treats & and und, and dash styles, as equal; keeps different names apart", () => {
    expect(normalizeName("Augenbrauen & Wimpern färben")).toBe(normalizeName("Augenbrauen und Wimpern faerben"));
    expect(normalizeName("Färben – Einwirkzeit")).toBe(normalizeName("Färben - Einwirkzeit"));
    expect(normalizeName("Herrenhaarschnitt")).not.toBe(normalizeName("Damenhaarschnitt"));
    expect(normalizeName("Café")).toBe("cafe");
  });
});
