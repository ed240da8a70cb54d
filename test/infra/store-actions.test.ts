/**
 * The table grants (TABLE_ACTIONS in infra/constructs/storage.ts) name DynamoDB actions one
 * by one. DynamoDB Local checks no IAM, so a store change that starts calling another action
 * would pass every local test and fail on AWS with AccessDenied: this test reads the real
 * handler code and checks that every DynamoDB command it sends is covered.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/complaint-stack.js';
import { TABLE_ACTIONS } from '../../infra/constructs/storage.js';

/** Files that only DynamoDB Local runs (creating the table); CDK creates it on AWS. */
const LOCAL_ONLY = ['functions/adapters/dynamodb/table.ts'];

/** The IAM actions a document-client or low-level command needs. */
const COMMAND_ACTIONS: Record<string, string[]> = {
  Get: ['dynamodb:GetItem'],
  GetItem: ['dynamodb:GetItem'],
  Query: ['dynamodb:Query'],
  Put: ['dynamodb:PutItem'],
  PutItem: ['dynamodb:PutItem'],
  Update: ['dynamodb:UpdateItem'],
  UpdateItem: ['dynamodb:UpdateItem'],
  Delete: ['dynamodb:DeleteItem'],
  DeleteItem: ['dynamodb:DeleteItem'],
  Scan: ['dynamodb:Scan'],
  BatchGet: ['dynamodb:BatchGetItem'],
  BatchGetItem: ['dynamodb:BatchGetItem'],
  BatchWrite: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  BatchWriteItem: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  TransactGet: ['dynamodb:GetItem'],
  TransactGetItems: ['dynamodb:GetItem'],
  // TransactWrite needs the action of each item kind: see TRANSACT_ITEM_ACTIONS
  TransactWrite: [],
  TransactWriteItems: [],
  ExecuteStatement: ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
};
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The IAM actions the DynamoDB commands sent by `source` need. */
function dynamoActionsOf(source: string): string[] {
  if (!/@aws-sdk\/(lib|client)-dynamodb/.test(source)) return [];
  const needed = new Set<string>();
  for (const [, name] of source.matchAll(/new\s+([A-Z][A-Za-z]*?)Command\s*\(/g)) {
    const actions = COMMAND_ACTIONS[name as string];
    if (!actions) throw new Error(`unknown DynamoDB command ${name}Command: add it to COMMAND_ACTIONS`);
    for (const action of actions) needed.add(action);
    if (name?.startsWith('TransactWrite')) {
      for (const [kind, action] of Object.entries(TRANSACT_ITEM_ACTIONS)) {
        if (new RegExp(`\\b${kind}\\s*:`).test(source)) needed.add(action);
      }
    }
  }
  return [...needed].sort();
}

describe('dynamoActionsOf', () => {
  it('maps commands (and the item kinds of a transaction) to IAM actions', () => {
    const lib = "import { GetCommand } from '@aws-sdk/lib-dynamodb';\n";
    expect(dynamoActionsOf(`${lib}await c.send(new GetCommand({}));`)).toEqual(['dynamodb:GetItem']);
    expect(
      dynamoActionsOf(`${lib}new TransactWriteCommand({ TransactItems: [{ Put: {} }, { Delete: {} }] })`),
    ).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
    expect(dynamoActionsOf(`${lib}new ScanCommand({})`)).toEqual(['dynamodb:Scan']);
    expect(dynamoActionsOf('new ScanCommand({})')).toEqual([]); // not a DynamoDB module
    expect(() => dynamoActionsOf(`${lib}new FrobnicateCommand({})`)).toThrow(/FrobnicateCommand/);
  });
});

describe('the table grants', () => {
  it('cover every DynamoDB action the functions call', () => {
    const files = tsFiles(path.join(REPO_ROOT, 'functions')).filter(
      (file) => !LOCAL_ONLY.includes(path.relative(REPO_ROOT, file).split(path.sep).join('/')),
    );
    const needed = [...new Set(files.flatMap((file) => dynamoActionsOf(readFileSync(file, 'utf8'))))].sort();
    expect(needed.length).toBeGreaterThan(0);
    expect([...TABLE_ACTIONS.readWrite].sort()).toEqual(expect.arrayContaining(needed));
    // and nothing the functions never call
    expect([...TABLE_ACTIONS.readWrite].sort()).toEqual(needed);
  });
});
