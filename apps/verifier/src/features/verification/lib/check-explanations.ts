import type { CheckId } from '@townhall/verifier';

/** Each check in plain English: a short name for the list, and what a failure means for the election. */
export const CHECK_EXPLANATIONS: Record<CheckId, { name: string; whenFailed: string }> = {
  'record.format': { name: 'The record file is complete', whenFailed: 'The file is damaged, cut short or not in the record format, so some of the election could not be read. Download the record again; if it fails again, the server is publishing a broken record.' },
  'ledger.entries': { name: 'Every ledger entry can be read', whenFailed: 'Some entries of the ledger are not in the exact form the protocol requires. An entry that can be written two ways could be swapped for another without anyone noticing.' },
  'ledger.chain': { name: 'The entries are chained together', whenFailed: 'An entry does not point to the one before it: entries were removed, inserted or reordered after they were written.' },
  'ledger.checkpoint-roots': { name: 'Checkpoints match the entries', whenFailed: 'A signed checkpoint describes different entries from the ones in this record: the history shown to you is not the history that was signed.' },
  'ledger.consistency': { name: 'Checkpoints only ever grow', whenFailed: 'The checkpoints do not describe one growing ledger, or the last one does not cover the whole record: part of the record was never published in a checkpoint, or history was rewritten.' },
  'ledger.checkpoint-signatures': { name: 'Checkpoints are signed by the council’s ledger', whenFailed: 'A checkpoint is not signed by the election ledger’s key, so it may not come from the council’s ledger at all.' },
  'ledger.cosignatures': { name: 'Independent witnesses cosigned the checkpoints', whenFailed: 'Not enough independent witnesses vouched for a checkpoint. Without them, the council could show different histories to different people.' },
  'registry.inclusion': { name: 'The electoral roll and enrolments are in the registry', whenFailed: 'The roll or an enrolment the election relies on is not proven to be in the council’s signed, witnessed registry.' },
  'election.sequence': { name: 'The election followed its steps in order', whenFailed: 'Entries are out of the lifecycle order (for example a ballot before the election opened), repeated, malformed, or belong to another election.' },
  'election.definition': { name: 'The election’s definition is intact', whenFailed: 'The election’s definition (contests, options, schedule) does not match its fingerprint, or names another election or ledger.' },
  'ceremony.commitments': { name: 'The trustees’ key ceremony proofs hold', whenFailed: 'A trustee’s commitment in the key ceremony has a proof that does not verify: the election key may not be shared among the trustees as claimed.' },
  'ceremony.joint-key': { name: 'The election key comes from the trustees', whenFailed: 'The published election key is not the one the trustees’ commitments produce, so someone other than the trustees may be able to decrypt ballots.' },
  'credentials.issuer-key': { name: 'The voting credential key was published first', whenFailed: 'The key that signs voting credentials is missing, malformed or was published after credentials were issued.' },
  'credentials.issuance': { name: 'Credentials went only to enrolled, eligible electors', whenFailed: 'A voting credential was issued to someone who was not enrolled, not eligible, already had one, or without a valid passkey signature.' },
  'credentials.limits': { name: 'No more credentials or voters than electors', whenFailed: 'More credentials were issued than there are electors in a district, or more people voted than received credentials.' },
  'ballots.credentials': { name: 'Every ballot carries a valid credential', whenFailed: 'A ballot’s credential was not signed by the election’s credential key: someone voted without being given a credential.' },
  'ballots.signatures': { name: 'Every ballot is signed and its tracking code is right', whenFailed: 'A ballot was changed after it was cast, or its tracking code does not match it, so a voter checking that code would be misled.' },
  'ballots.uniqueness': { name: 'No credential or ballot was used twice', whenFailed: 'A credential was used by two different voters, a ballot was recorded twice, or a ballot copies another’s encrypted choices.' },
  'ballots.timing': { name: 'No ballots after the close', whenFailed: 'Ballots were accepted after the election closed.' },
  'ballots.proofs': { name: 'Every ballot is a valid vote', whenFailed: 'A ballot’s proof does not verify: it may hold more than one vote for an option, or more selections than the contest allows.' },
  'ballots.spoiled': {
    name: 'Audited ballots were encrypted honestly and never cast',
    whenFailed:
      'A ballot a voter audited (spoiled) does not open to what it claims — the voting page may be encrypting something other than the voter’s choice — or an audited ballot, whose choices are public, was also cast, or one voting key audited more ballots than an election allows.',
  },
  'tally.aggregate': { name: 'The tally adds up the counted ballots', whenFailed: 'The encrypted total is not the sum of the counted ballots (each voter’s last ballot before the close), or counts a different number of ballots.' },
  'tally.partial-decryptions': { name: 'The trustees decrypted the total honestly', whenFailed: 'A trustee’s share of the decryption has a proof that does not verify.' },
  'tally.result': { name: 'The published result follows from the tally', whenFailed: 'The published counts are not what the trustees’ decryption of the total gives, or too few trustees took part.' },
  // A contract record's checks (docs/protocol/contracts.md §12), for townhall-verify and any page that shows them.
  'contract.sequence': { name: 'The contract’s log is in order', whenFailed: 'An entry belongs to another contract, is malformed, comes before the terms were agreed, or is out of time order.' },
  'contract.approvals': { name: 'The parties approved, their staff acted', whenFailed: 'A revision of the terms was not approved by an administrator of every party, or a step was taken by someone who was not, at that time, a member of the party that takes it, or while that party was suspended.' },
  'contract.orders': { name: 'Every repair followed its steps', whenFailed: 'A repair skipped or repeated a step (for example confirmed without being completed, or confirmed twice).' },
  'contract.payments': { name: 'Every payment is recomputed to the penny', whenFailed: 'A recorded payment is not what the contract’s terms and the repairs’ history give: someone was paid more or less than the contract says.' },
  'contract.payment-runs': { name: 'Payment runs pay each job once, as computed', whenFailed: 'A payment run pays a job twice, pays an amount other than the computed one, or its totals are not the sums of its payments.' },
};
