import {
  CreateDocumentCommand,
  DescribeDocumentCommand,
  GetCommandInvocationCommand,
  GetParameterCommand,
  SendCommandCommand,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { registerSecret } from '../core/redact.js';
import type { CommandInvocation, SsmApi, SsmDocument } from '../ebs/ebs-port.js';
import { TargetError } from '../errors/index.js';
import { ebsFailure } from './ebs-failure.js';

/** {@link SsmApi} over the AWS SDK's Systems Manager client. */
export class AwsSsmApi implements SsmApi {
  readonly #client: SSMClient;

  constructor(client: SSMClient) {
    this.#client = client;
  }

  async secureParameter(name: string): Promise<string> {
    try {
      const out = await this.#client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const value = out.Parameter?.Value ?? '';
      registerSecret(value);
      return value;
    } catch (error) {
      if ((error as { name?: string }).name === 'ParameterNotFound')
        throw new TargetError('EBS_PARAMETER_MISSING', `the parameter ${name} does not exist`, {
          subject: { parameter: name },
          hint: 'create it as a SecureString (aws ssm put-parameter --type SecureString), or name another',
        });
      throw ebsFailure('GetParameter', error);
    }
  }

  async sendCommand(
    document: string,
    instanceId: string,
    parameters: Readonly<Record<string, string>>,
  ): Promise<string> {
    try {
      const out = await this.#client.send(
        new SendCommandCommand({
          DocumentName: document,
          InstanceIds: [instanceId],
          Parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, [v]])),
        }),
      );
      return out.Command?.CommandId ?? '';
    } catch (error) {
      throw ebsFailure('SendCommand', error);
    }
  }

  async invocation(commandId: string, instanceId: string): Promise<CommandInvocation | undefined> {
    try {
      const out = await this.#client.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      return {
        status: out.Status ?? 'Pending',
        stdout: out.StandardOutputContent ?? '',
        stderr: out.StandardErrorContent ?? '',
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'InvocationDoesNotExist') return undefined;
      throw ebsFailure('GetCommandInvocation', error);
    }
  }

  async document(name: string): Promise<SsmDocument | undefined> {
    try {
      const out = await this.#client.send(new DescribeDocumentCommand({ Name: name }));
      const d = out.Document;
      return d ? { name, hash: d.Hash ?? '', latestVersion: d.LatestVersion ?? '' } : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'InvalidDocument') return undefined;
      throw ebsFailure('DescribeDocument', error);
    }
  }

  async createDocument(name: string, content: string): Promise<void> {
    try {
      await this.#client.send(
        new CreateDocumentCommand({
          Name: name,
          Content: content,
          DocumentType: 'Command',
          DocumentFormat: 'YAML',
        }),
      );
    } catch (error) {
      throw ebsFailure('CreateDocument', error);
    }
  }

  async updateDocument(name: string, content: string): Promise<void> {
    try {
      const out = await this.#client.send(
        new UpdateDocumentCommand({
          Name: name,
          Content: content,
          DocumentVersion: '$LATEST',
          DocumentFormat: 'YAML',
        }),
      );
      const version = out.DocumentDescription?.DocumentVersion;
      if (version)
        await this.#client.send(
          new UpdateDocumentDefaultVersionCommand({ Name: name, DocumentVersion: version }),
        );
    } catch (error) {
      throw ebsFailure('UpdateDocument', error);
    }
  }
}
