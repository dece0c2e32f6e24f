import { describe, expect, it } from "vitest";
import { closeness, foldServiceName, looseServiceName } from "./normalize";

describe("service name folding", () => {
  it("ignores case, spacing and punctuation", () => {
    const forms = ["Herrenhaarschnitt", "herrenhaarschnitt", "HERREN HAARSCHNITT", " Herren-Haarschnitt ", "herren_haar schnitt"];
    expect(new Set(forms.map(foldServiceName))).toEqual(new Set(["herrenhaarschnitt"]));
  });

  it("spells out umlauts and ß, and & as und", () => {
    expect(foldServiceName("Föhnen & Styling")).toBe(foldServiceName("Foehnen und Styling"));
    expect(foldServiceName("Glättung")).toBe("glaettung");
    expect(foldServiceName("Straße")).toBe("strasse");
    expect(foldServiceName("Erstgespräch")).toBe(foldServiceName("ERSTGESPRAECH"));
  });

  it("loosely matches umlauts typed without the e", () => {
    expect(looseServiceName("Fohnen & Styling")).toBe(looseServiceName("Föhnen & Styling"));
    expect(looseServiceName("Strahnchen")).toBe(looseServiceName("Strähnchen"));
  });

  it("suggests close names and ignores distant ones", () => {
    expect(closeness("Haarschnitt", "Herrenhaarschnitt")).not.toBeNull();
    expect(closeness("Herenhaarschnitt", "Herrenhaarschnitt")).not.toBeNull();
    expect(closeness("Impfung", "Balayage")).toBeNull();
  });
});
