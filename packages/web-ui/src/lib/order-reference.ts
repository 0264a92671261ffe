// The order reference is part of the wire contract (webhook bodies carry it too): one definition, in the protocol package.
export { orderReference } from '@townhall/protocol';
