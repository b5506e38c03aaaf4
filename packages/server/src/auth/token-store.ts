/** The part of the Store port that access control uses: the server never sees the rest of the store. */
import type { Store } from '@docket/core';

export type TokenStore = Pick<Store, 'tokenCreate' | 'tokenGet' | 'tokenList' | 'tokenRevoke' | 'tokenTouch'>;
