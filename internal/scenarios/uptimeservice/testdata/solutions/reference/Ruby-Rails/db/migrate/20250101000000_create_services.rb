class CreateServices < ActiveRecord::Migration[7.2]
  def change
    create_table :services do |t|
      t.string :service_id, null: false
      t.string :token_hash, null: false
      t.datetime :last_notification, null: false
      t.timestamps
    end
    add_index :services, [:service_id, :token_hash], unique: true
    add_index :services, :token_hash
  end
end
