import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppointmentCode, AppointmentList, AppointmentRequest, AppointmentSummary, PowerOfAttorneyRecord } from '@townhall/protocol';
import { Audit, CurrentPrincipal, Resident, Staff, type Principal, type RequestWithPrincipal } from '../common/access.ts';
import { openApiSchema } from '../common/openapi.ts';
import { parseInput } from '../common/validation.ts';
import { AppointmentsService } from './appointments.service.ts';

/** Residents' appointments of representatives. */
@ApiTags('appointments')
@Controller()
export class AppointmentsController {
  constructor(@Inject(AppointmentsService) private readonly appointments: AppointmentsService) {}

  @Post('account/appointment-code')
  @Resident()
  @HttpCode(200)
  @ApiOperation({ summary: 'A one-time code (an hour) to give to someone who wants to appoint you as their representative' })
  @ApiOkResponse({ schema: openApiSchema(AppointmentCode) })
  appointmentCode(@CurrentPrincipal() principal: Principal): Promise<AppointmentCode> {
    return this.appointments.appointmentCode(principal);
  }

  @Get('account/appointments')
  @Resident()
  @ApiOperation({ summary: 'People who can act for you and people you act for, with the ledger index of each entry' })
  @ApiOkResponse({ schema: openApiSchema(AppointmentList) })
  async list(@CurrentPrincipal() principal: Principal): Promise<AppointmentList> {
    return { appointments: await this.appointments.list(principal) };
  }

  @Post('appointments')
  @Resident()
  @ApiOperation({ summary: 'Appoint the resident whose code you were given (an AppointmentMade entry); it takes effect when they accept' })
  @ApiCreatedResponse({ schema: openApiSchema(AppointmentSummary) })
  appoint(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<AppointmentSummary> {
    return this.appointments.appoint(principal, parseInput(AppointmentRequest, body));
  }

  @Post('appointments/:id/accept')
  @Resident()
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an appointment as its representative (an AppointmentAccepted entry)' })
  @ApiOkResponse({ schema: openApiSchema(AppointmentSummary) })
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AppointmentSummary> {
    return this.appointments.accept(principal, id);
  }

  @Post('appointments/:id/end')
  @Resident()
  @HttpCode(200)
  @ApiOperation({ summary: 'End an appointment, from either side (an AppointmentEnded entry)' })
  @ApiOkResponse({ schema: openApiSchema(AppointmentSummary) })
  end(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AppointmentSummary> {
    return this.appointments.end(principal, id);
  }
}

/** Staff record an appointment from a registered lasting power of attorney. */
@ApiTags('appointments')
@Controller('official/appointments')
export class OfficialAppointmentsController {
  constructor(@Inject(AppointmentsService) private readonly appointments: AppointmentsService) {}

  @Post()
  @Staff('officer', 'admin')
  @Audit('appointments.record-power-of-attorney')
  @ApiOperation({
    summary: 'Record a lasting power of attorney (its reference, not the document) as an appointment the attorney then accepts',
  })
  @ApiCreatedResponse({ schema: openApiSchema(AppointmentSummary) })
  async record(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithPrincipal,
  ): Promise<AppointmentSummary> {
    const input = parseInput(PowerOfAttorneyRecord, body);
    request.auditDetail = { documentReference: input.documentReference, purposes: input.purposes };
    const appointment = await this.appointments.recordPowerOfAttorney(principal.kind === 'staff' ? principal.staffId : '', input);
    request.auditTarget = appointment.id;
    return appointment;
  }
}
