using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Protection.Identity.Migrations
{
    /// <inheritdoc />
    public partial class AuditGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditGrants",
                schema: "identity",
                columns: table => new
                {
                    AuditOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuditedOrganisationId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditGrants", x => new { x.AuditOrganisationId, x.AuditedOrganisationId });
                    table.ForeignKey(
                        name: "FK_AuditGrants_Organisations_AuditOrganisationId",
                        column: x => x.AuditOrganisationId,
                        principalSchema: "identity",
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AuditGrants_Organisations_AuditedOrganisationId",
                        column: x => x.AuditedOrganisationId,
                        principalSchema: "identity",
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditGrants_AuditedOrganisationId",
                schema: "identity",
                table: "AuditGrants",
                column: "AuditedOrganisationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditGrants",
                schema: "identity");
        }
    }
}
