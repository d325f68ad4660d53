// The read side of the domain: `import * as queries from '../domain/queries'`, then `queries.board(ctx, id)`.
export { board } from './board';
export { card } from './card';
export { timeline } from './timeline';
export { accountActivity, boardActivity } from './activity';
