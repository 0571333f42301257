/**
 * Expands a facts table written as families of rows (what the family shares, then one short row
 * per shape) into a map by shape name. Every facts table (AWS GPU and CPU instance types, Azure
 * GPU and CPU VM sizes) is written this way, so this is the one place that expands them; a shape
 * listed twice is a mistake in the table and fails at load time.
 */
export function expandFamilies<
  Family extends { readonly rows: readonly unknown[] },
  Facts extends { readonly type: string },
>(
  families: readonly Family[],
  fact: (family: Family, row: Family["rows"][number]) => Facts,
): ReadonlyMap<string, Facts> {
  const table = new Map<string, Facts>();
  for (const family of families) {
    for (const row of family.rows) {
      const facts = fact(family, row);
      if (table.has(facts.type)) throw new Error(`facts table lists ${facts.type} twice`);
      table.set(facts.type, facts);
    }
  }
  return table;
}
