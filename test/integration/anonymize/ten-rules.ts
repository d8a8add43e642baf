/**
 * The bench's 10 rules (bench/lib/rules.ts) for every `customers` collection of the generated data,
 * fully classified; `username` as given (a tiny output space forces collisions), `extra` appended.
 */
export function tenRules(username: string, extra = ''): string {
  return `rules:
  customers:
    fields:
      _id: { transform: pseudonymous_id, group: customer_id }
      username: ${username}
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email, group: email }
      address.street: { transform: fake, kind: street_address }
      birthdate: { transform: date_shift, max_days: 180 }
      accounts: { transform: pseudonymous_id, group: account }
      balance: { transform: number_noise, percent: 5 }
      card: { transform: mask, keep_last: 4 }
      notes: { transform: unset }
    keep: [address.city, address.zip, active, score, tier_and_details]
${extra}`;
}
