/** A company a panel can be pointed at, as the pages pass them down (id and name only). */
export type CompanyChoice = { id: number; name: string };

/** What a panel with its own company picker is given: the choices and the company chosen in the header, if any. */
export type CompanyPickerProps = { companies: CompanyChoice[]; initialCompanyId?: number };

/** The companies as the `<option>`s of a picker, by name, valued by id. */
export function CompanyOptions({ companies }: { companies: CompanyChoice[] }) {
  return companies.map((c) => (
    <option key={c.id} value={c.id}>
      {c.name}
    </option>
  ));
}
