import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ADMINISTRATOR_ROLE,
  ContractAmendmentProposal,
  ContractApprovalOptions,
  ContractApprovalOptionsQuery,
  ContractApprovalRequest,
  ContractDetail,
  ContractList,
  ContractPerformance,
  ContractProposal,
  FINANCE_ROLE,
  PaymentRunList,
  PaymentRunRequest,
  PaymentRunSummary,
  REPAIRS_ROLE,
  Repair,
  RepairCompletion,
  RepairAssociationList,
  RepairList,
  RepairRejection,
  RepairReport,
  RepairSchedule,
  RepairTriage,
  TENANT_ROLE,
} from '@townhall/protocol';
import { CurrentPrincipal, OrganisationMember, Resident, type Principal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { ContractsService } from './contracts.service.ts';

/** Contracts between associations and a contractor, proposed and approved by the parties' administrators. */
@ApiTags('contracts')
@Controller('organisations/:id/contracts')
export class ContractsController {
  constructor(@Inject(ContractsService) private readonly contracts: ContractsService) {}

  @Post()
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'Propose a repairs contract (terms in the documented format); every party then approves it' })
  @ApiCreatedResponse({ schema: openApiSchema(ContractDetail) })
  propose(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<ContractDetail> {
    return this.contracts.propose(id, principal, parseInput(ContractProposal, body).terms);
  }

  @Get()
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE, FINANCE_ROLE)
  @ApiOperation({ summary: 'The contracts the organisation is a party to' })
  @ApiOkResponse({ schema: openApiSchema(ContractList) })
  async list(@Param('id') id: string): Promise<ContractList> {
    return { contracts: await this.contracts.contracts(id) };
  }

  @Get(':contractId')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE, FINANCE_ROLE)
  @ApiOperation({ summary: 'A contract: its revisions, their terms and approvals' })
  @ApiOkResponse({ schema: openApiSchema(ContractDetail) })
  detail(@Param('id') id: string, @Param('contractId') contractId: string): Promise<ContractDetail> {
    return this.contracts.contract(id, contractId);
  }

  @Get(':contractId/performance')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE, FINANCE_ROLE)
  @ApiOperation({ summary: 'How the contract is performing: jobs by state, the late-delivery window in force, payments by association (recomputed)' })
  @ApiOkResponse({ schema: openApiSchema(ContractPerformance) })
  performance(@Param('id') id: string, @Param('contractId') contractId: string): Promise<ContractPerformance> {
    return this.contracts.performance(id, contractId);
  }

  @Get(':contractId/approval-options')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'What the administrator’s passkey signs to approve a revision: the challenge (contracts.md §11.1) and their passkeys' })
  @ApiOkResponse({ schema: openApiSchema(ContractApprovalOptions) })
  approvalOptions(
    @Param('id') id: string,
    @Param('contractId') contractId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ContractApprovalOptions> {
    return this.contracts.approvalOptions(id, principal, contractId, parseInput(ContractApprovalOptionsQuery, query).revision);
  }

  @Post(':contractId/approve')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a revision for the organisation, signed with the administrator’s passkey; the last party’s approval appends ContractAgreed or ContractAmended',
  })
  @ApiOkResponse({ schema: openApiSchema(ContractDetail) })
  approve(
    @Param('id') id: string,
    @Param('contractId') contractId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ContractDetail> {
    return this.contracts.approve(id, principal, contractId, parseInput(ContractApprovalRequest, body));
  }

  @Post(':contractId/amendments')
  @OrganisationMember('id', ADMINISTRATOR_ROLE)
  @ApiOperation({ summary: 'Propose the next revision of an agreed contract, in force from effectiveAt once every party approves it' })
  @ApiCreatedResponse({ schema: openApiSchema(ContractDetail) })
  amend(
    @Param('id') id: string,
    @Param('contractId') contractId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ContractDetail> {
    const { terms, effectiveAt } = parseInput(ContractAmendmentProposal, body);
    return this.contracts.amend(id, principal, contractId, terms, effectiveAt);
  }
}

/** An association's repairs: reported by its tenants, triaged, confirmed or rejected by its staff. */
@ApiTags('contracts')
@Controller('organisations/:id/repairs')
export class AssociationRepairsController {
  constructor(@Inject(ContractsService) private readonly contracts: ContractsService) {}

  @Post()
  @OrganisationMember('id', TENANT_ROLE)
  @ApiOperation({ summary: 'Report a repair in your home (an OrderRaised entry)' })
  @ApiCreatedResponse({ schema: openApiSchema(Repair) })
  report(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<Repair> {
    return this.contracts.report(id, principal, parseInput(RepairReport, body));
  }

  @Get()
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @ApiOperation({ summary: 'The association’s repairs, every state' })
  @ApiOkResponse({ schema: openApiSchema(RepairList) })
  async list(@Param('id') id: string): Promise<RepairList> {
    return { repairs: await this.contracts.associationRepairs(id) };
  }

  @Post(':orderId/triage')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose the catalogue item, priority and hazard class; the order goes to the contractor with its due time' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  triage(@Param('id') id: string, @Param('orderId') orderId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.contracts.triage(id, principal, orderId, parseInput(RepairTriage, body));
  }

  @Post(':orderId/hazard-investigated')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'A significant damp-and-mould hazard was investigated (Awaab’s Law)' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  hazardInvestigated(@Param('id') id: string, @Param('orderId') orderId: string, @CurrentPrincipal() principal: Principal) {
    return this.contracts.hazardInvestigated(id, principal, orderId);
  }

  @Post(':orderId/hazard-summary-issued')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'The tenant was sent the written summary of the investigation' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  hazardSummaryIssued(@Param('id') id: string, @Param('orderId') orderId: string, @CurrentPrincipal() principal: Principal) {
    return this.contracts.hazardSummaryIssued(id, principal, orderId);
  }

  @Post(':orderId/confirm')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the work: the job is priced (OrderConfirmed and PaymentComputed entries)' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  confirm(@Param('id') id: string, @Param('orderId') orderId: string, @CurrentPrincipal() principal: Principal) {
    return this.contracts.confirm(id, principal, orderId);
  }

  @Post(':orderId/reject')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the completion with a reason; the contractor does the work again' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  reject(@Param('id') id: string, @Param('orderId') orderId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.contracts.reject(id, principal, orderId, parseInput(RepairRejection, body));
  }
}

/** A contractor's work queue: accept, schedule, complete. */
@ApiTags('contracts')
@Controller('organisations/:id/work-orders')
export class WorkOrdersController {
  constructor(@Inject(ContractsService) private readonly contracts: ContractsService) {}

  @Get()
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @ApiOperation({ summary: 'Orders triaged to the contractor under any of its contracts' })
  @ApiOkResponse({ schema: openApiSchema(RepairList) })
  async list(@Param('id') id: string): Promise<RepairList> {
    return { repairs: await this.contracts.workOrders(id) };
  }

  @Post(':orderId/accept')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the order' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  accept(@Param('id') id: string, @Param('orderId') orderId: string, @CurrentPrincipal() principal: Principal) {
    return this.contracts.accept(id, principal, orderId);
  }

  @Post(':orderId/schedule')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Make (or move) the appointment; the tenant sees it' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  schedule(@Param('id') id: string, @Param('orderId') orderId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.contracts.schedule(id, principal, orderId, parseInput(RepairSchedule, body));
  }

  @Post(':orderId/complete')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, REPAIRS_ROLE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the work, with notes for the association (the notes stay off the ledger)' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  complete(@Param('id') id: string, @Param('orderId') orderId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.contracts.complete(id, principal, orderId, parseInput(RepairCompletion, body));
  }
}

/** An association's payment runs. */
@ApiTags('contracts')
@Controller('organisations/:id/payment-runs')
export class PaymentRunsController {
  constructor(@Inject(ContractsService) private readonly contracts: ContractsService) {}

  @Post()
  @OrganisationMember('id', ADMINISTRATOR_ROLE, FINANCE_ROLE)
  @ApiOperation({ summary: 'Gather the confirmed, unpaid payments under a contract into a run (a PaymentRun entry)' })
  @ApiCreatedResponse({ schema: openApiSchema(PaymentRunSummary) })
  create(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<PaymentRunSummary> {
    return this.contracts.createRun(id, principal, parseInput(PaymentRunRequest, body).contractId);
  }

  @Get()
  @OrganisationMember('id', ADMINISTRATOR_ROLE, FINANCE_ROLE)
  @ApiOperation({ summary: 'The association’s payment runs' })
  @ApiOkResponse({ schema: openApiSchema(PaymentRunList) })
  async list(@Param('id') id: string): Promise<PaymentRunList> {
    return { runs: await this.contracts.runs(id) };
  }

  @Get(':runId/file')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, FINANCE_ROLE)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The run as a CSV credit-transfer list for the bank' })
  async file(@Param('id') id: string, @Param('runId') runId: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { filename, csv } = await this.contracts.runFile(id, runId);
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return csv;
  }

  @Get(':runId/pain001')
  @OrganisationMember('id', ADMINISTRATOR_ROLE, FINANCE_ROLE)
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  @ApiOperation({
    summary:
      'The run as an ISO 20022 pain.001.001.09 credit-transfer file for the bank (409 BANK_ACCOUNT_MISSING, and no file, when the association or a payee has no bank account recorded)',
  })
  async pain001(@Param('id') id: string, @Param('runId') runId: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const { filename, xml } = await this.contracts.runBankFile(id, runId);
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    return xml;
  }
}

/** A tenant's own repairs. */
@ApiTags('contracts')
@Controller('account/repairs')
export class AccountRepairsController {
  constructor(@Inject(ContractsService) private readonly contracts: ContractsService) {}

  @Get()
  @Resident()
  @ApiOperation({ summary: 'The repairs you reported, with their state, due time, appointment and history' })
  @ApiOkResponse({ schema: openApiSchema(RepairList) })
  async list(@CurrentPrincipal() principal: Principal): Promise<RepairList> {
    return { repairs: await this.contracts.myRepairs(principal) };
  }

  // Before ':orderId', so that this path is not read as an order id.
  @Get('associations')
  @Resident()
  @ApiOperation({ summary: 'The housing associations you can report a repair to (you are their tenant; they have an agreed contract)' })
  @ApiOkResponse({ schema: openApiSchema(RepairAssociationList) })
  async associations(@CurrentPrincipal() principal: Principal): Promise<RepairAssociationList> {
    return { associations: await this.contracts.reportableAssociations(principal) };
  }

  @Get(':orderId')
  @Resident()
  @ApiOperation({ summary: 'One repair you reported (any other is not found)' })
  @ApiOkResponse({ schema: openApiSchema(Repair) })
  detail(@Param('orderId') orderId: string, @CurrentPrincipal() principal: Principal): Promise<Repair> {
    return this.contracts.myRepair(principal, orderId);
  }
}
